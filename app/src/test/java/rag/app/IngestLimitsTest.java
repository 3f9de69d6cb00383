package rag.app;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Uploads beyond the configured limits: 413 for an oversized file, 503 with Retry-After for a full queue. */
@QuarkusTest
@TestProfile(IngestLimitsTest.SmallLimits.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngestLimitsTest {
  public static class SmallLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("rag.data-dir", "target/ingest-limits-" + System.nanoTime(), "rag.ingest.max-file-size", "4K",
          "rag.ingest.queue-capacity", "1", "rag.ingest.workers", "1");
    }
  }

  @Test
  @Order(1)
  void anOversizedFileIs413() {
    given().multiPart("file", "big.txt", "word ".repeat(2000).getBytes(), "text/plain")
        .when().post("/api/collections/limits/documents")
        .then().statusCode(413).contentType("application/problem+json")
        .body("type", equalTo("/problems/too-large"))
        .body("detail", containsString("rag.ingest.max-file-size"));
  }

  @Test
  @Order(2)
  void anUploadLargerThanTheQueueIs503WithRetryAfter() throws Exception {
    Map<String, String> members = new LinkedHashMap<>();
    for (int i = 0; i < 60; i++) {
      members.put("m" + i + ".txt", "Member number " + i + " of a large batch about rivers and mountains.");
    }
    // room is taken for a whole upload at once: 60 files never fit a queue of 1 (the bound is not overshot)
    given().multiPart("file", "batch.zip", IngestApiTest.zip(members), "application/zip")
        .when().post("/api/collections/limits/documents")
        .then().statusCode(503).contentType("application/problem+json")
        .header("Retry-After", "30")
        .body("type", equalTo("/problems/queue-full"))
        .body("detail", containsString("holds 60 files, more than the ingest queue takes at once (1"));
  }
}
