package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's {@code scripts/cluster.sh} as a user runs it (issue 13): {@code up} starts an OpenSearch cluster, a
 * fresh database, two api instances and an ingest worker ({@code --workers 1}) and writes cluster.env; a file uploaded
 * through the first instance is ingested by the worker and found through the second; {@code down} stops every process
 * it started and drops the database. One OpenSearch node keeps it light (the three-node cluster is what the other
 * cluster tests use).
 */
class PackagedClusterScriptIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private Path dir;

  @BeforeEach
  void createDir() throws IOException {
    dir = Files.createTempDirectory("rag-cluster-sh");
  }

  @AfterEach
  void downAndRemove() throws Exception {
    if (Files.exists(dir.resolve("cluster.env"))) {
      script(Duration.ofMinutes(2), "down", "--dir", dir.toString());
    }
    PackagedJourney.deleteTree(dir);
  }

  @Test
  void upStartsInstancesThatShareOneArchiveAndDownStopsEverything() throws Exception {
    Script up = script(Duration.ofMinutes(8), "up", "--instances", "2", "--workers", "1", "--nodes", "1", "--dir",
        dir.toString());
    assertThat(up.exitCode()).as(up.output()).isZero();
    Map<String, String> env = env(dir.resolve("cluster.env"));
    assertThat(env).containsKeys("RAG_URLS", "RAG_PIDS", "RAG_WORKER_PIDS", "OPENSEARCH_URL", "OPENSEARCH_URLS",
        "OPENSEARCH_PID", "JDBC_URL", "PG_DATABASE");
    List<String> urls = Arrays.asList(env.get("RAG_URLS").split(","));
    List<Long> pids = Arrays.stream(env.get("RAG_PIDS").split(",")).map(Long::parseLong).toList();
    assertThat(urls).as("the api instances").hasSize(2);
    assertThat(pids).hasSize(3).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isPresent());
    assertThat(pids).contains(Long.parseLong(env.get("RAG_WORKER_PIDS")));
    assertThat(up.output()).contains("instance-1 (api) ready").contains("worker-1 (ingest) ready");

    String jobId = given().baseUri(urls.get(0)).multiPart("file", "tide.txt",
        "Spring tides follow the full and new moon.".getBytes(StandardCharsets.UTF_8))
        .post("/api/collections/notes/documents").then().statusCode(202).extract().jsonPath().getString("jobId");
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!given().baseUri(urls.get(1)).get("/api/jobs/" + jobId).then().statusCode(200).extract().jsonPath()
        .getString("state").equals("succeeded")) {
      assertThat(System.nanoTime()).as("job %s succeeded", jobId).isLessThan(deadline);
      PackagedService.sleep(200);
    }
    assertThat(given().baseUri(urls.get(1)).contentType(ContentType.JSON)
        .body(Map.of("query", "spring tides moon", "retriever", "bm25")).post("/api/collections/notes/search")
        .then().statusCode(200).extract().jsonPath().getList("results.document.sourcePath", String.class))
        .containsExactly("tide.txt");

    Script down = script(Duration.ofMinutes(2), "down", "--dir", dir.toString());
    assertThat(down.exitCode()).as(down.output()).isZero();
    long openSearchPid = Long.parseLong(env.get("OPENSEARCH_PID"));
    for (long pid : concat(pids, openSearchPid)) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d alive", pid).isFalse();
    }
    assertThat(dir.resolve("cluster.env")).doesNotExist();
    try (Connection c = DriverManager.getConnection(System.getProperty("ragtest.pg.url",
        "jdbc:postgresql://127.0.0.1:5432/postgres"), "postgres", null);
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_database WHERE datname = '"
            + env.get("PG_DATABASE") + "'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("the cluster's database after down").isZero();
    }
  }

  private static List<Long> concat(List<Long> pids, long more) {
    List<Long> all = new java.util.ArrayList<>(pids);
    all.add(more);
    return all;
  }

  record Script(String output, int exitCode) {}

  private static Script script(Duration limit, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("bash", "scripts/cluster.sh"));
    command.addAll(List.of(args));
    Path log = Files.createTempFile("cluster-sh", ".log");
    Process p = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("scripts/cluster.sh " + String.join(" ", args) + " did not end within " + limit
          + ":\n" + Files.readString(log));
    }
    String output = Files.readString(log);
    Files.delete(log);
    return new Script(output, p.exitValue());
  }

  private static Map<String, String> env(Path file) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1)); // a later line wins, as when the file is sourced
      }
    }
    return env;
  }
}
