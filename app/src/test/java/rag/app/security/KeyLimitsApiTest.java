package rag.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Per-key limits through the API: a key over its rate or its requests in progress gets 429 with Retry-After at once,
 * and while one key floods the service another key is never refused.
 */
@QuarkusTest
@TestProfile(KeyLimitsApiTest.Limited.class)
class KeyLimitsApiTest {
  static final String ADMIN = "bootstrap-admin-secret-for-the-limits-test-00001";

  public static class Limited implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("rag.data-dir", "target/limits-test-" + System.nanoTime(), "rag.security.bootstrap-admin-key",
          ADMIN, "rag.security.pepper", "a-pepper-only-the-limits-test-uses-0123",
          "rag.security.limits.requests-per-second", "5", "rag.security.limits.burst", "10",
          "rag.security.limits.concurrent-requests", "1", "rag.security.limits.upload-bytes-per-hour", "5K",
          "rag.security.limits.max-stuffed-tokens", "300", "rag.security.limits.max-chat-turns", "4");
    }
  }

  @TestHTTPResource("/")
  URL root;

  private static String key(String name) {
    return SecurityApiTest.createKey(ADMIN, "{\"name\": \"" + name + "\", \"grants\": {\"*\": \"read\"}}")
        .getString("key");
  }

  private static Response search(String key) {
    return SecurityApiTest.as(key).contentType("application/json").body("{\"query\": \"harbour tides\"}")
        .when().post("/api/collections/limits/search");
  }

  @Test
  void overTheRateA429WithRetryAfterComesAtOnce() throws Exception {
    ensureCollection();
    String key = key("eager");
    List<Integer> statuses = new ArrayList<>();
    Response limited = null;
    // a cheap request, so that the key outpaces its 5 per second by far (a search takes longer on a loaded machine)
    for (int i = 0; i < 60 && limited == null; i++) {
      Response r = SecurityApiTest.as(key).when().get("/api/profiles");
      statuses.add(r.statusCode());
      if (r.statusCode() == 429) {
        limited = r;
      }
    }
    assertThat(limited).as("statuses %s", statuses).isNotNull();
    assertThat(statuses.subList(0, 10)).as("the burst").containsOnly(200);
    assertThat(limited.contentType()).startsWith("application/problem+json");
    assertThat(limited.header("Retry-After")).isEqualTo("1");
    assertThat(limited.jsonPath().getString("type")).isEqualTo("/problems/rate-limited");
  }

  @Test
  void aFloodingKeyIsShedAndAnotherKeyIsServed() throws Exception {
    ensureCollection();
    String polite = key("polite");
    String flood = key("flood");
    for (int i = 0; i < 5; i++) {
      search(polite); // warm up the embedder and the searcher
      Thread.sleep(120);
    }
    double alone = medianMillis(polite, 15);

    AtomicBoolean flooding = new AtomicBoolean(true);
    AtomicInteger shed = new AtomicInteger();
    AtomicInteger served = new AtomicInteger();
    // the flood goes through the JDK's HTTP client: light enough that its own CPU use here stays small
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest floodRequest = HttpRequest.newBuilder(URI.create(root + "api/collections/limits/search"))
        .header("Authorization", "Bearer " + flood).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"harbour tides\"}")).build();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 4; i++) {
      clients.submit(() -> {
        while (flooding.get()) {
          int status = http.send(floodRequest, HttpResponse.BodyHandlers.discarding()).statusCode();
          (status == 429 ? shed : served).incrementAndGet();
        }
        return null;
      });
    }
    Thread.sleep(500);
    double during;
    try {
      during = medianMillis(polite, 15);
    } finally {
      flooding.set(false);
      clients.shutdown();
      assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(shed.get()).as("the flood was shed (%d served)", served.get()).isGreaterThan(0);
    assertThat(served.get()).as("the flooding key still gets its own rate").isGreaterThan(0);
    System.out.printf("polite key median %.1f ms alone, %.1f ms while another key floods (%d shed, %d served)%n",
        alone, during, shed.get(), served.get());
    // Every polite request was answered (medianMillis checks each for 200). The latency is reported, not asserted:
    // the flooding threads run in this JVM on the same two cores; scripts/bench-key-flood.py measures the 2x target
    // with the flood on its own CPU (docs/benchmarks.md).
  }

  @Test
  void uploadsBeyondTheHourlyVolumeAre429() throws Exception {
    ensureCollection();
    String writer = SecurityApiTest.createKey(ADMIN, "{\"name\": \"uploader\", \"grants\": {\"limits\": \"write\"}}")
        .getString("key");
    byte[] threeK = "tide ".repeat(600).getBytes(StandardCharsets.UTF_8);
    SecurityApiTest.as(writer).multiPart("file", "a.txt", threeK, "text/plain").when()
        .post("/api/collections/limits/documents").then().statusCode(202);
    Response refused = SecurityApiTest.as(writer).multiPart("file", "b.txt", threeK, "text/plain").when()
        .post("/api/collections/limits/documents");
    assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(429);
    assertThat(refused.jsonPath().getString("type")).isEqualTo("/problems/upload-quota");
    assertThat(refused.header("Retry-After")).isEqualTo("300");
  }

  @Test
  void aKeysStuffedPromptsStayUnderItsLimit() throws Exception {
    ensureCollection();
    String key = key("stuffer");
    Response auto = SecurityApiTest.as(key).contentType("application/json")
        .body("{\"question\": \"When are the tides logged?\"}").when().post("/api/collections/limits/plan");
    assertThat(auto.statusCode()).as(auto.asString()).isEqualTo(200);
    assertThat(auto.jsonPath().getString("mode")).isEqualTo("retrieve");
    assertThat(auto.jsonPath().getString("reason")).contains("over this caller's limit of 300 stuffed prompt tokens");
    Response stuff = SecurityApiTest.as(key).contentType("application/json")
        .body("{\"question\": \"When are the tides logged?\", \"mode\": \"stuff\"}")
        .when().post("/api/collections/limits/query");
    assertThat(stuff.statusCode()).as(stuff.asString()).isEqualTo(413);
    assertThat(stuff.jsonPath().getString("type")).isEqualTo("/problems/stuff-limit");
  }

  @Test
  void aConversationStopsAtTheKeysHistoryLimit() throws Exception {
    ensureCollection();
    String key = key("talker");
    String first = SecurityApiTest.as(key).contentType("application/json").accept("text/event-stream")
        .body("{\"message\": \"When are the tides logged?\", \"mode\": \"retrieve\"}")
        .when().post("/api/collections/limits/chat").then().statusCode(200).extract().asString();
    Matcher id = Pattern.compile("\"conversationId\":\"([0-9a-f-]{36})\"")
        .matcher(first);
    assertThat(id.find()).as(first).isTrue();
    String next = "{\"conversationId\": \"" + id.group(1) + "\", \"message\": \"And at dusk?\", \"mode\": \"retrieve\"}";
    SecurityApiTest.as(key).contentType("application/json").accept("text/event-stream").body(next)
        .when().post("/api/collections/limits/chat").then().statusCode(200).extract().asString();
    Response full = SecurityApiTest.as(key).contentType("application/json").accept("text/event-stream").body(next)
        .when().post("/api/collections/limits/chat");
    assertThat(full.statusCode()).as(full.asString()).isEqualTo(413);
    assertThat(full.jsonPath().getString("type")).isEqualTo("/problems/history-limit");
    StringBuilder messages = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      messages.append(i == 0 ? "" : ", ").append("{\"role\": \"").append(i % 2 == 0 ? "user" : "assistant")
          .append("\", \"content\": \"tides ").append(i).append("\"}");
    }
    SecurityApiTest.as(key).contentType("application/json")
        .body("{\"model\": \"qwen3/limits\", \"messages\": [" + messages + "]}").when().post("/v1/chat/completions")
        .then().statusCode(413);
  }

  /**
   * A key that keeps sending after its refusals is paced: past the first refusals of a second, each 429 (still with
   * Retry-After) comes only after EarlyShedding's pause, so a closed-loop flood slows down; another key is served.
   */
  @Test
  void aKeyThatIgnoresRetryAfterHasItsRefusalsPaced() throws Exception {
    ensureCollection();
    String pushy = key("pushy");
    String other = key("other");
    int statusesSeen = 0;
    long slowest = 0;
    for (int i = 0; i < 60; i++) {
      long start = System.nanoTime();
      Response r = search(pushy);
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (r.statusCode() == 429) {
        statusesSeen++;
        assertThat(r.header("Retry-After")).isEqualTo("1");
        assertThat(r.contentType()).startsWith("application/problem+json");
        slowest = Math.max(slowest, millis);
      }
    }
    assertThat(statusesSeen).as("the key's rate is 5/s with a burst of 10: refusals past the prompt ones")
        .isGreaterThan(EarlyShedding.PROMPT_REFUSALS);
    assertThat(slowest).as("a paced refusal waits out the pause").isGreaterThanOrEqualTo(EarlyShedding.PACE_MILLIS);
    assertThat(search(other).statusCode()).isEqualTo(200);
  }

  /** Median latency of n requests at the key's own pace (well inside its rate), each checked for 200. */
  private static double medianMillis(String key, int n) throws InterruptedException {
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      Response r = search(key);
      millis.add((System.nanoTime() - start) / 1e6);
      assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
      Thread.sleep(250);
    }
    Collections.sort(millis);
    return millis.get(n / 2);
  }

  private static boolean documentsIn(String collection) {
    Response r = SecurityApiTest.as(ADMIN).when().get("/api/collections/" + collection);
    assertThat(r.statusCode()).as(r.asString()).isIn(200, 404);
    return r.statusCode() == 200 && r.jsonPath().getInt("documents") > 0;
  }

  private static synchronized void ensureCollection() throws InterruptedException {
    if (documentsIn("limits")) {
      return;
    }
    SecurityApiTest.as(ADMIN).multiPart("file", "tides.txt", ("The harbour tides are logged at dawn. ".repeat(40))
        .getBytes(StandardCharsets.UTF_8), "text/plain").when().post("/api/collections/limits/documents")
        .then().statusCode(202);
    long deadline = System.nanoTime() + 60_000_000_000L;
    // polled well inside the admin key's own rate (it is limited too); 404 until the first document is published
    while (!documentsIn("limits")) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(250);
    }
  }
}
