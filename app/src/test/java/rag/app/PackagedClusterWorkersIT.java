package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import rag.storage.TestDatabase;
import rag.storage.embed.ScriptedEmbeddingServer;
import rag.storage.opensearch.OpenSearchSettings;
import rag.storage.opensearch.TestOpenSearch;

/**
 * Ingest roles on the cluster backend (issue 13), with the packaged service: one instance with the {@code api} role
 * accepts uploads, two with the {@code ingest} role claim the files from PostgreSQL for leases of 3 s. The worker
 * holding a file mid-embedding, then mid-parse, is killed with SIGKILL; the other takes its files over once the lease
 * runs out and every file is ingested exactly once: one published version per file, its text found once, its original
 * served by the api instance. Embeddings come from a scripted OpenAI-compatible server that can stall a request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackagedClusterWorkersIT {
  private static final String COLLECTION = "shared";
  private static final Duration LEASE = Duration.ofSeconds(3);

  private TestDatabase database;
  private OpenSearchSettings search;
  private ScriptedEmbeddingServer embeddings;
  private Path home;
  private PackagedService api;
  private final List<PackagedService> workers = new ArrayList<>();
  private Map<String, String> properties;
  private int started;

  @BeforeAll
  void start() throws Exception {
    search = TestOpenSearch.settings();
    database = TestDatabase.create();
    embeddings = ScriptedEmbeddingServer.start(64);
    home = Files.createTempDirectory("rag-workers");
    properties = new LinkedHashMap<>(Map.of("rag.storage.backend", "cluster",
        "rag.storage.jdbc-url", database.jdbcUrl(), "rag.storage.username", database.user(),
        "rag.storage.pool-size", "4", "rag.opensearch.urls", TestOpenSearch.urls(),
        "rag.opensearch.index-prefix", search.prefix(), "rag.ingest.lease", LEASE.toSeconds() + "s"));
    properties.putAll(Map.of("rag.embedding.provider", "openai", "rag.embedding.openai.base-url", embeddings.baseUrl(),
        "rag.embedding.openai.model", "scripted-embedder", "rag.embedding.openai.dimension", "64",
        "rag.embedding.openai.timeout", "120s"));
    api = launch("api");
    workers.add(launch("ingest"));
    workers.add(launch("ingest"));
  }

  private PackagedService launch(String roles) throws Exception {
    Path dir = Files.createDirectories(home.resolve(roles + "-" + ++started));
    Map<String, String> p = new HashMap<>(properties);
    p.put("rag.node.roles", roles);
    return PackagedService.start(dir, p);
  }

  @AfterAll
  void stop() throws Exception {
    try {
      for (PackagedService s : workers) {
        s.close();
      }
      if (api != null) {
        api.stop();
      }
      if (embeddings != null) {
        embeddings.close();
      }
    } finally {
      if (database != null) {
        database.close();
        TestOpenSearch.deleteIndexes(search);
      }
      PackagedJourney.deleteTree(home);
    }
  }

  @Test
  @Order(1)
  void anInstanceWithoutTheApiRoleAnswersNoApiRequest() {
    on(workers.get(0)).get("/api/collections").then().statusCode(421).contentType("application/problem+json")
        .body("type", org.hamcrest.Matchers.equalTo("/problems/misdirected"));
    on(workers.get(0)).get("/q/health/ready").then().statusCode(200);
  }

  @Test
  @Order(2)
  void aWorkerKilledMidEmbeddingLeavesItsFilesToTheOther() throws Exception {
    // one worker takes the whole job, and its first embedding request stalls
    PackagedService other = workers.remove(1);
    other.stop();
    embeddings.script(ScriptedEmbeddingServer.Reply.delayed(Duration.ofSeconds(60)));
    Map<String, String> texts = notes("harbour", 4);
    String jobId = uploadAll(texts);
    Held held = awaitHeld(jobId, "EMBEDDING");
    PackagedService holder = holderOf(held.owner());

    workers.add(launch("ingest")); // while the holder renews its leases, the new worker gets none of its files
    assertThat(query("SELECT seq, lease_owner FROM ingest_files WHERE job_id = ? AND status = ?"
        + " AND lease_owner <> '" + held.owner() + "'", jobId, "EMBEDDING")).isEmpty();
    holder.kill();
    try {
      assertThat(fileStatus(jobId, held.seq())).as("killed while embedding").isEqualTo("EMBEDDING");
      assertIngestedExactlyOnce(awaitJob(jobId), texts);
    } finally {
      replace(holder);
    }
  }

  @Test
  @Order(3)
  void aWorkerKilledMidParseLeavesItsFilesToTheOther() throws Exception {
    Map<String, String> texts = notes("orchard", 3);
    StringBuilder large = new StringBuilder("The long ledger of the orchard cooperative begins here.\n");
    for (int i = 0; large.length() < 24_000_000; i++) {
      large.append("Ledger line ").append(i).append(": crates of apples weighed, counted and carted to market.\n");
    }
    texts.put("ledger.txt", large.toString());
    String jobId = uploadAll(texts);

    Held held = awaitHeld(jobId, "PARSING");
    PackagedService holder = holderOf(held.owner());
    holder.kill();
    try {
      assertThat(fileStatus(jobId, held.seq())).as("killed while parsing (or the file was parsed too fast to test)")
          .isEqualTo("PARSING");
      assertIngestedExactlyOnce(awaitJob(jobId), texts);
    } finally {
      replace(holder);
    }
  }

  /** Starts an ingest worker in place of a killed one, for the next test. */
  private void replace(PackagedService killed) throws Exception {
    workers.remove(killed);
    killed.close();
    workers.add(launch("ingest"));
  }

  private void assertIngestedExactlyOnce(JsonPath job, Map<String, String> texts) {
    assertThat(job.getString("state")).as(job.prettify()).isEqualTo("succeeded");
    List<String> ids = job.getList("files.documentId", String.class);
    assertThat(ids).hasSize(texts.size()).doesNotHaveDuplicates();
    for (int i = 0; i < ids.size(); i++) {
      String name = job.getString("files[" + i + "].name");
      JsonPath doc = on(api).get("/api/documents/" + ids.get(i)).then().statusCode(200).extract().jsonPath();
      assertThat(doc.getInt("version")).as("one version of %s", name).isEqualTo(1);
      assertThat(doc.getString("status")).as(name).isEqualTo("ready");
      byte[] original = on(api).get("/api/documents/" + ids.get(i) + "/original").then().statusCode(200).extract()
          .asByteArray();
      assertThat(new String(original, StandardCharsets.UTF_8)).as("original of %s, served by the api instance", name)
          .isEqualTo(texts.get(name));
    }
    List<String> listed = on(api).get("/api/collections/" + COLLECTION + "/documents?limit=200").then()
        .statusCode(200).extract().jsonPath().getList("documents.sourcePath", String.class);
    assertThat(listed).as("no document twice").doesNotHaveDuplicates();
    for (String name : texts.keySet()) {
      String phrase = texts.get(name).substring(0, texts.get(name).indexOf('.'));
      List<String> found = on(api).contentType(ContentType.JSON).body(Map.of("query", phrase, "retriever", "hybrid",
          "topK", 20)).post("/api/collections/" + COLLECTION + "/search").then().statusCode(200).extract().jsonPath()
          .getList("results.chunkId", String.class);
      assertThat(found).as("chunks found for '%s'", phrase).doesNotHaveDuplicates();
    }
  }

  private Map<String, String> notes(String topic, int n) {
    Map<String, String> texts = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      texts.put(topic + "-" + i + ".txt", "Note " + i + " of the " + topic + " log, entry " + (i * 7919)
          + ". The " + topic + " keeper wrote it down.");
    }
    return texts;
  }

  private String uploadAll(Map<String, String> texts) {
    RequestSpecification request = on(api);
    texts.forEach((name, text) -> request.multiPart("file", name, text.getBytes(StandardCharsets.UTF_8)));
    return request.post("/api/collections/" + COLLECTION + "/documents").then().statusCode(202).extract().jsonPath()
        .getString("jobId");
  }

  /** A file of the job in {@code status} and the worker whose lease it is under. */
  record Held(int seq, String owner) {}

  private Held awaitHeld(String jobId, String status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Held> held = query("SELECT seq, lease_owner FROM ingest_files WHERE job_id = ? AND status = ?"
          + " AND lease_owner IS NOT NULL ORDER BY size_bytes DESC", jobId, status);
      if (held.isPresent()) {
        return held.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no file of job " + jobId + " reached " + status);
  }

  private String fileStatus(String jobId, int seq) throws Exception {
    try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), null);
        PreparedStatement ps = c.prepareStatement("SELECT status FROM ingest_files WHERE job_id = ? AND seq = ?")) {
      ps.setString(1, jobId);
      ps.setInt(2, seq);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }

  private Optional<Held> query(String sql, String jobId, String status) throws Exception {
    try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), null);
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, jobId);
      ps.setString(2, status);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Held(rs.getInt(1), rs.getString(2))) : Optional.empty();
      }
    }
  }

  /** The worker process a lease names: owners are {@code <host>-<pid>-<random>}. */
  private PackagedService holderOf(String owner) {
    String[] parts = owner.split("-");
    long pid = Long.parseLong(parts[parts.length - 2]);
    return workers.stream().filter(w -> w.pid() == pid).findFirst()
        .orElseThrow(() -> new AssertionError("no worker has pid " + pid + " (lease owner " + owner + ")"));
  }

  private JsonPath awaitJob(String jobId) {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      JsonPath job = on(api).get("/api/jobs/" + jobId).then().statusCode(200).extract().jsonPath();
      String state = job.getString("state");
      if (!state.equals("queued") && !state.equals("running")) {
        return job;
      }
      if (System.nanoTime() > deadline) {
        StringBuilder logs = new StringBuilder();
        workers.forEach(w -> logs.append("\n--- worker ").append(w.pid()).append(":\n").append(w.log()));
        throw new AssertionError("job " + jobId + " still " + state + ": " + job.prettify() + logs);
      }
      PackagedService.sleep(100);
    }
  }

  private static RequestSpecification on(PackagedService s) {
    return given().spec(s.http());
  }
}
