package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import rag.query.generate.ScriptedModelServer;
import rag.query.generate.ScriptedModelServer.Reply;

/**
 * SIGTERM under load on the packaged service (issue 16): an answer streaming when the signal comes finishes whole,
 * new API requests meanwhile get 503 problem+json with Retry-After and readiness goes DOWN, ingest stops at a file
 * boundary, and the next start ingests every accepted file exactly once.
 */
class PackagedShutdownIT {
  private static final String COLLECTION = "drain";
  private ScriptedModelServer model;
  private Path home;
  private PackagedService service;

  @BeforeEach
  void start() throws Exception {
    model = ScriptedModelServer.start();
    home = Files.createTempDirectory("rag-shutdown");
    Map<String, String> properties = new HashMap<>();
    properties.put("rag.models.scripted.base-url", model.baseUrl());
    properties.put("rag.models.scripted.model", ScriptedModelServer.MODEL);
    properties.put("rag.models.scripted.context-window", "32768");
    properties.put("rag.models.scripted.answer-reserve", "1024");
    properties.put("rag.models.scripted.timeout", "60s");
    service = PackagedService.start(home, properties);
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    model.close();
    PackagedJourney.deleteTree(home);
  }

  @Test
  void aStreamingAnswerFinishesNewRequestsGet503AndAcceptedUploadsAreIngestedOnceAfterTheRestart()
      throws Exception {
    String job = upload(List.of(file("seed.txt", "The lighthouse keeper logs the weather every morning.")));
    awaitDone(job);
    // 40 tokens, 100 ms apart: about 4 s of streaming, well inside the 30 s drain
    model.reply(Reply.tokens(Collections.nCopies(40, "word ").toArray(String[]::new))
        .delayPerToken(Duration.ofMillis(100)));
    CountDownLatch firstToken = new CountDownLatch(1);
    CompletableFuture<List<String>> chat = CompletableFuture.supplyAsync(() -> chat(firstToken));
    assertThat(firstToken.await(30, TimeUnit.SECONDS)).isTrue();
    List<Map.Entry<String, byte[]>> files = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      files.add(file("note-" + i + ".txt", "Note " + i + " about tide tables and harbour number " + i
          + ". " + "Ships leave at dawn and return at dusk. ".repeat(40)));
    }
    String bulk = upload(files); // accepted (202) just before the signal: ingest is still busy with it

    service.signalStop();
    Response refused = awaitRefusal();
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.header("Retry-After")).isEqualTo("5");
    assertThat(refused.jsonPath().getString("type")).isEqualTo("/problems/stopping");

    List<String> events = chat.get(60, TimeUnit.SECONDS);
    assertThat(events).contains("done");
    assertThat(events.stream().filter("token"::equals).count()).isEqualTo(40);
    service.awaitExit(Duration.ofSeconds(60));

    service.start();
    JsonPath done = awaitDone(bulk);
    assertThat(done.getList("files.status", String.class)).hasSize(60).containsOnly("done");
    List<Map<String, Object>> documents = http().get("/api/collections/" + COLLECTION + "/documents?limit=500")
        .then().statusCode(200).extract().jsonPath().getList("documents");
    Set<String> paths = new HashSet<>();
    for (Map<String, Object> d : documents) {
      assertThat(paths.add((String) d.get("sourcePath"))).as("one document per file").isTrue();
      assertThat(((Number) d.get("version")).intValue()).as("ingested once: version 1").isEqualTo(1);
    }
    assertThat(paths).hasSize(61);
    assertThat(service.errorLines()).isEmpty();
  }

  /** New API requests during the drain: 503 at once (the first ones may still be admitted before the hook runs). */
  private Response awaitRefusal() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Response r = http().get("/api/collections");
      if (r.statusCode() == 503 || System.nanoTime() > deadline) {
        return r;
      }
      PackagedService.sleep(20);
    }
  }

  private List<String> chat(CountDownLatch firstToken) {
    List<String> events = new ArrayList<>();
    try {
      HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(service.baseUrl() + "/api/collections/" + COLLECTION + "/chat"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"What does the keeper log?\",\"profile\":"
              + "\"scripted\",\"mode\":\"retrieve\"}")).build(), HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.startsWith("event: ")) {
            events.add(line.substring(7));
            if (line.equals("event: token")) {
              firstToken.countDown();
            }
          }
        }
      }
    } catch (Exception e) {
      events.add("failed: " + e);
    }
    return events;
  }

  private static Map.Entry<String, byte[]> file(String name, String text) {
    return Map.entry(name, text.getBytes(StandardCharsets.UTF_8));
  }

  private String upload(List<Map.Entry<String, byte[]>> files) {
    RequestSpecification request = given().spec(service.http());
    files.forEach(f -> request.multiPart("file", f.getKey(), f.getValue(), "text/plain"));
    return request.post("/api/collections/" + COLLECTION + "/documents").then().statusCode(202).extract()
        .jsonPath().getString("jobId");
  }

  private JsonPath awaitDone(String jobId) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (true) {
      JsonPath job = http().get("/api/jobs/" + jobId).then().statusCode(200).extract().jsonPath();
      String state = job.getString("state");
      if (!state.equals("queued") && !state.equals("running")) {
        return job;
      }
      assertThat(System.nanoTime()).as("job %s still %s", jobId, state).isLessThan(deadline);
      PackagedService.sleep(200);
    }
  }

  private RequestSpecification http() {
    return given().spec(service.http()).contentType(ContentType.JSON);
  }
}
