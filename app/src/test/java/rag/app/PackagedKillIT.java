package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * kill -9 under load, 10 times at random moments (issue 16; the seed is printed): uploads are accepted and queries
 * asked while the packaged service is killed; after each restart no search sees a document that is not whole, and
 * at the end every accepted upload is ingested exactly once.
 */
class PackagedKillIT {
  private static final String COLLECTION = "kills";
  private static final int ROUNDS = 10;
  private static final int FILES_PER_ROUND = 6;
  private Path home;
  private PackagedService service;

  @AfterEach
  void cleanUp() throws Exception {
    if (service != null) {
      service.close();
      service.awaitExit(java.time.Duration.ofSeconds(30));
    }
    PackagedJourney.deleteTree(home);
  }

  @Test
  void killedTenTimesUnderLoadEveryAcceptedUploadIsIngestedOnceAndOnlyWholeDocumentsAreSeen() throws Exception {
    long seed = System.nanoTime();
    System.out.println("PackagedKillIT seed " + seed);
    Random random = new Random(seed);
    home = Files.createTempDirectory("rag-kill");
    service = PackagedService.start(home, Map.of());
    Map<String, String> accepted = new HashMap<>(); // source path -> its marker word
    for (int round = 0; round < ROUNDS; round++) {
      RequestSpecification upload = given().spec(service.http());
      Map<String, String> batch = new HashMap<>();
      for (int i = 0; i < FILES_PER_ROUND; i++) {
        String marker = "marker" + letters(round * FILES_PER_ROUND + i);
        String path = "round-" + round + "-" + i + ".txt";
        batch.put(path, marker);
        upload.multiPart("file", path, (marker + " is written in the log of round " + round + ". "
            + "The keeper noted the wind and the tide. ".repeat(30 + random.nextInt(200)))
            .getBytes(StandardCharsets.UTF_8), "text/plain");
      }
      Response reply = upload.post("/api/collections/" + COLLECTION + "/documents");
      assertThat(reply.statusCode()).as(reply.asString()).isEqualTo(202);
      accepted.putAll(batch); // 202: accepted for good, whatever happens next
      AtomicBoolean querying = new AtomicBoolean(true);
      Thread load = new Thread(() -> {
        while (querying.get()) {
          try {
            given().spec(service.http()).contentType(ContentType.JSON).body(Map.of("query", "keeper wind tide"))
                .post("/api/collections/" + COLLECTION + "/search");
          } catch (Exception refusedOnceKilled) {
            return;
          }
        }
      });
      load.start();
      PackagedService.sleep(random.nextInt(1500));
      service.kill();
      querying.set(false);
      load.join(10_000);
      service.start();
      assertOnlyWholeDocuments(accepted);
    }
    awaitAllIngested(accepted.size());
    List<Map<String, Object>> documents = documents();
    assertThat(documents).hasSize(accepted.size());
    for (Map<String, Object> d : documents) {
      assertThat(accepted).containsKey((String) d.get("sourcePath"));
      assertThat(((Number) d.get("version")).intValue()).as("ingested once: %s", d.get("sourcePath")).isEqualTo(1);
      assertThat(d.get("status")).as("%s", d.get("sourcePath")).isEqualTo("ready");
    }
    assertOnlyWholeDocuments(accepted);
  }

  /** Every document a search can see has all its chunks findable, and only its own version's. */
  private void assertOnlyWholeDocuments(Map<String, String> markers) {
    for (Map<String, Object> d : documents()) {
      String marker = markers.get((String) d.get("sourcePath"));
      assertThat(marker).as("a document nobody uploaded: %s", d.get("sourcePath")).isNotNull();
      JsonPath hits = given().spec(service.http()).contentType(ContentType.JSON)
          .body(Map.of("query", marker, "retriever", "bm25", "topK", 50))
          .post("/api/collections/" + COLLECTION + "/search").then().statusCode(200).extract().jsonPath();
      List<Map<String, Object>> own = new ArrayList<>();
      for (Map<String, Object> r : hits.<Map<String, Object>>getList("results")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) r.get("document");
        if (d.get("id").equals(doc.get("id"))) {
          own.add(r);
          assertThat(doc.get("version")).isEqualTo(d.get("version"));
        }
      }
      assertThat(own).as("chunks of %s holding its marker", d.get("sourcePath")).hasSize(1);
    }
  }

  /** The collection's documents; none while it does not exist yet (killed before its first document). */
  private List<Map<String, Object>> documents() {
    Response r = given().spec(service.http()).get("/api/collections/" + COLLECTION + "/documents?limit=500");
    if (r.statusCode() == 404) {
      return List.of();
    }
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    return r.jsonPath().getList("documents");
  }

  /** 0 -> "a", 25 -> "z", 26 -> "ba": a word the analyzers keep whole. */
  private static String letters(int n) {
    StringBuilder word = new StringBuilder();
    do {
      word.insert(0, (char) ('a' + n % 26));
      n /= 26;
    } while (n > 0);
    return word.toString();
  }

  private void awaitAllIngested(int files) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (true) {
      List<Map<String, Object>> docs = documents();
      if (docs.size() == files && docs.stream().allMatch(d -> "ready".equals(d.get("status")))) {
        return;
      }
      assertThat(System.nanoTime()).as("%d of %d files ingested", docs.size(), files).isLessThan(deadline);
      PackagedService.sleep(300);
    }
  }
}
