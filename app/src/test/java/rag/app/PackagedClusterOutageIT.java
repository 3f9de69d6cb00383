package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import rag.storage.TestDatabase;

/**
 * The cluster backend through OpenSearch's faults (issue 13), on an OpenSearch cluster of this test's own (three
 * nodes, started and stopped with scripts/opensearch.sh, so the other tests' cluster is never touched): with one node
 * stopped, queries keep answering from the replicas; with the whole cluster stopped, uploads are still accepted (202)
 * and ingested (published in PostgreSQL, their index writes left in the search outbox, whose backlog the metrics
 * show), searches answer 503 problem+json with Retry-After, and once the cluster is back the outbox makes every
 * accepted file searchable, each exactly once, without a restart of the service.
 */
class PackagedClusterOutageIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private Path home;
  private TestDatabase database;
  private PackagedService service;

  @AfterEach
  void stopEverything() throws Exception {
    try {
      if (service != null) {
        service.stop();
      }
      if (home != null) {
        openSearch("down");
      }
    } finally {
      if (database != null) {
        database.close();
      }
      PackagedJourney.deleteTree(home);
    }
  }

  @Test
  void queriesSurviveANodeAndUploadsSurviveTheWholeCluster() throws Exception {
    home = Files.createTempDirectory("rag-outage");
    Files.createDirectories(home.resolve("service"));
    int port = freePortBase();
    openSearch("up", "--nodes", "3", "--http-port", String.valueOf(port));
    String urls = "http://127.0.0.1:" + port + ",http://127.0.0.1:" + (port + 1) + ",http://127.0.0.1:" + (port + 2);
    database = TestDatabase.create();
    service = PackagedService.start(home.resolve("service"), Map.of("rag.storage.backend", "cluster",
        "rag.storage.jdbc-url", database.jdbcUrl(), "rag.storage.username", database.user(),
        "rag.opensearch.urls", urls, "rag.opensearch.timeout", "5s"));

    awaitJob(upload("harbour.txt", "The harbour master counted forty herring boats at dawn."), Duration.ofMinutes(1));
    assertThat(bm25("herring boats").then().statusCode(200).extract().jsonPath()
        .getList("results.document.sourcePath", String.class)).containsExactly("harbour.txt");

    // one node down (the first URL's): the replicas answer, through the other nodes
    Files.createFile(home.resolve("opensearch/control/stop-node-1"));
    awaitNodes(port + 1, 2);
    for (int i = 0; i < 5; i++) {
      assertThat(bm25("herring boats").then().statusCode(200).extract().jsonPath()
          .getList("results.document.sourcePath", String.class)).containsExactly("harbour.txt");
    }
    awaitJob(upload("lock.txt", "The lock keeper opened the sluice gates for the barges."), Duration.ofMinutes(1));
    assertThat(bm25("sluice gates").then().statusCode(200).extract().jsonPath()
        .getList("results.document.sourcePath", String.class)).containsExactly("lock.txt");

    // the whole cluster down: uploads are accepted and ingested, searches are refused with a reason and a time to
    // come back, and what the indexes need waits in the search outbox
    openSearch("down");
    String ferry = upload("ferry.txt", "The ferry to the island leaves at noon when the tide allows.");
    String pier = upload("pier.txt", "Anglers line the pier in the evening for mackerel.");
    for (String job : List.of(ferry, pier)) {
      JsonPath done = awaitJob(job, Duration.ofMinutes(2));
      assertThat(done.getString("state")).as(done.prettify()).isEqualTo("succeeded");
    }
    Response refused = bm25("herring");
    refused.then().statusCode(503).contentType("application/problem+json");
    assertThat(refused.getHeader("Retry-After")).isNotBlank();
    assertThat(outboxEntries()).as("two versions and their vectors wait in the outbox").isEqualTo(4);
    assertThat(given().spec(service.http()).get("/api/documents/" + documentId("ferry.txt") + "/chunks").then()
        .statusCode(200).extract().asString()).contains("ferry to the island");

    openSearch("up", "--nodes", "3", "--http-port", String.valueOf(port));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (outboxEntries() > 0) {
      assertThat(System.nanoTime()).as("the search outbox is applied").isLessThan(deadline);
      PackagedService.sleep(250);
    }
    for (Map.Entry<String, String> e : Map.of("ferry island tide", "ferry.txt", "mackerel anglers", "pier.txt",
        "herring boats", "harbour.txt", "sluice gates", "lock.txt").entrySet()) {
      assertThat(bm25(e.getKey()).then().statusCode(200).extract().jsonPath()
          .getList("results.document.sourcePath", String.class)).as(e.getKey()).containsExactly(e.getValue());
      assertThat(search(e.getKey(), "dense").then().statusCode(200).extract().jsonPath()
          .getList("results.document.sourcePath", String.class)).as(e.getKey()).first().isEqualTo(e.getValue());
    }
    JsonPath documents = given().spec(service.http()).get("/api/collections/harbour/documents").then()
        .statusCode(200).extract().jsonPath();
    assertThat(documents.getList("documents.sourcePath", String.class))
        .containsExactlyInAnyOrder("harbour.txt", "lock.txt", "ferry.txt", "pier.txt");
    assertThat(documents.getList("documents.version", Integer.class)).containsOnly(1);
  }

  private String upload(String name, String text) {
    return given().spec(service.http()).multiPart("file", name, text.getBytes(StandardCharsets.UTF_8))
        .post("/api/collections/harbour/documents").then().statusCode(202).extract().jsonPath().getString("jobId");
  }

  private Response bm25(String query) {
    return search(query, "bm25");
  }

  private Response search(String query, String retriever) {
    return given().spec(service.http()).contentType(ContentType.JSON)
        .body(Map.of("query", query, "retriever", retriever, "topK", 5)).post("/api/collections/harbour/search");
  }

  private String documentId(String sourcePath) {
    return given().spec(service.http()).get("/api/collections/harbour/documents").then().statusCode(200).extract()
        .jsonPath().getString("documents.find { it.sourcePath == '" + sourcePath + "' }.id");
  }

  /** The search outbox's backlog as {@code /q/metrics} reports it. */
  private double outboxEntries() {
    String metrics = given().spec(service.http()).get("/q/metrics").then().statusCode(200).extract().asString();
    return metrics.lines().filter(l -> l.startsWith("rag_search_outbox_entries ")).mapToDouble(
        l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElseThrow();
  }

  private JsonPath awaitJob(String jobId, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      JsonPath job = given().spec(service.http()).get("/api/jobs/" + jobId).then().statusCode(200).extract()
          .jsonPath();
      if (!List.of("queued", "running").contains(job.getString("state"))) {
        return job;
      }
      assertThat(System.nanoTime()).as("job %s still %s", jobId, job.getString("state")).isLessThan(deadline);
      PackagedService.sleep(250);
    }
  }

  /** Waits until the node at {@code httpPort} sees {@code nodes} nodes. */
  private static void awaitNodes(int httpPort, int nodes) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (given().baseUri("http://127.0.0.1:" + httpPort).get("/_cluster/health").then().extract().jsonPath()
        .getInt("number_of_nodes") != nodes) {
      assertThat(System.nanoTime()).as("%d OpenSearch nodes", nodes).isLessThan(deadline);
      PackagedService.sleep(250);
    }
  }

  private void openSearch(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("bash", "scripts/opensearch.sh"));
    command.add(args[0]);
    command.addAll(List.of("--dir", home.resolve("opensearch").toString()));
    command.addAll(List.of(args).subList(1, args.length));
    Path log = home.resolve("opensearch-" + args[0] + ".log");
    Process p = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("scripts/opensearch.sh %s ended", args[0]).isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
  }

  /** The first of 19501, 19511, ... with three HTTP and three transport ports free. */
  private static int freePortBase() {
    for (int base = 19501; base < 19700; base += 10) {
      boolean free = true;
      for (int port : new int[] {base, base + 1, base + 2, base + 100, base + 101, base + 102}) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1,
            java.net.InetAddress.getLoopbackAddress())) {
          s.setReuseAddress(true);
        } catch (IOException busy) {
          free = false;
          break;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free ports for an OpenSearch cluster in 19501..19799");
  }
}
