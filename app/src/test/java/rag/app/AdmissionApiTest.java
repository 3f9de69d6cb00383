package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import rag.query.generate.ScriptedModelServer.Reply;

/**
 * Admission control over HTTP: a profile's bound sheds with 503 problem+json and Retry-After, the bounds show at
 * /q/metrics, and a client that goes away (plain query or SSE chat) cancels its model stream and frees its place.
 */
@QuarkusTest
@WithTestResource(TempDataDir.class)
@WithTestResource(BoundedScriptedModel.class)
class AdmissionApiTest {
  private static final String BOUND = "model:scripted";
  private static String collection;

  @TestHTTPResource("/")
  URL root;

  @BeforeEach
  void ingestOnce() throws Exception {
    ScriptedModel.server.reply(Reply.tokens("Hello", ",", " world", "."));
    if (collection != null) {
      return;
    }
    collection = IngestApiTest.newCollection();
    String jobId = given().multiPart("file", "lighthouse.txt", ("The Point Reyes lighthouse was built in 1870."
        + " Its first-order Fresnel lens was made in Paris by Henry-Lepaute.").getBytes(StandardCharsets.UTF_8),
        "text/plain").when().post("/api/collections/" + collection + "/documents").then().statusCode(202)
        .extract().jsonPath().getString("jobId");
    assertThat(IngestApiTest.awaitJob(jobId).getString("state")).isEqualTo("succeeded");
  }

  @Test
  void aModelAtCapacityShedsWith503AndRetryAfterAndTheMetricsCountIt() throws Exception {
    double shedBefore = metric("rag_admission_shed_total", BOUND);
    ScriptedModel.server.reply(Reply.tokens(Collections.nCopies(20, "word ").toArray(String[]::new))
        .delayPerToken(Duration.ofMillis(100)));
    CompletableFuture<Response> first = CompletableFuture.supplyAsync(this::query);
    await(() -> ScriptedModel.server.openStreams() == 1);
    assertThat(metric("rag_admission_in_use", BOUND)).isEqualTo(1.0);
    assertThat(metric("rag_admission_capacity", BOUND)).isEqualTo(1.0);

    long start = System.nanoTime();
    Response second = query(); // waits its 300 ms in the queue, then is refused
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(second.contentType()).startsWith("application/problem+json");
    assertThat(second.header("Retry-After")).isEqualTo("2");
    assertThat(second.jsonPath().getString("type")).isEqualTo("/problems/overloaded");
    assertThat(second.jsonPath().getString("detail")).contains(BOUND).contains("may wait");
    assertThat(metric("rag_admission_shed_total", BOUND)).isEqualTo(shedBefore + 1);

    assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(metric("rag_admission_in_use", BOUND)).isZero();
    ScriptedModel.server.reply(Reply.tokens("Built in 1870 [C1]."));
    assertThat(query().statusCode()).isEqualTo(200);
  }

  @Test
  void aQueryWhoseClientGoesAwayCancelsItsModelStreamAndFreesItsPlace() throws Exception {
    slowAnswer();
    try (Socket client = post("/api/collections/" + collection + "/query",
        "{\"question\":\"When was the lighthouse built?\",\"profile\":\"scripted\",\"mode\":\"retrieve\"}")) {
      await(() -> ScriptedModel.server.openStreams() == 1);
    } // gone before the answer
    assertFreedAndAnswering();
  }

  @Test
  void aChatWhoseClientGoesAwayMidStreamCancelsItsModelStream() throws Exception {
    slowAnswer();
    try (Socket client = post("/api/collections/" + collection + "/chat",
        "{\"message\":\"When was the lighthouse built?\",\"profile\":\"scripted\",\"mode\":\"retrieve\"}")) {
      BufferedReader lines = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null && !line.equals("event: token"); line = lines.readLine()) {
        // read up to the first token: the answer is streaming
      }
      assertThat(ScriptedModel.server.openStreams()).isEqualTo(1);
    }
    assertFreedAndAnswering();
  }

  @Test
  void anOpenAiStreamWhoseClientGoesAwayCancelsItsModelStream() throws Exception {
    slowAnswer();
    try (Socket client = post("/v1/chat/completions", "{\"model\":\"scripted/" + collection + "\",\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"When was the lighthouse built?\"}]}")) {
      BufferedReader lines = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
      int chunks = 0;
      for (String line = lines.readLine(); line != null && chunks < 2; line = lines.readLine()) {
        chunks += line.startsWith("data: ") ? 1 : 0;
      }
      assertThat(ScriptedModel.server.openStreams()).isEqualTo(1);
    }
    assertFreedAndAnswering();
  }

  /** 600 tokens, 50 ms apart: 30 s, as long as the profile's timeout. */
  private static void slowAnswer() {
    ScriptedModel.server.reply(Reply.tokens(Collections.nCopies(600, "word ").toArray(String[]::new))
        .delayPerToken(Duration.ofMillis(50)));
  }

  private void assertFreedAndAnswering() throws Exception {
    await(() -> ScriptedModel.server.openStreams() == 0); // the model server saw its client go away
    await(() -> metric("rag_admission_in_use", BOUND) == 0.0);
    ScriptedModel.server.reply(Reply.tokens("Built in 1870 [C1]."));
    assertThat(query().statusCode()).isEqualTo(200);
  }

  private Response query() {
    return given().contentType(ContentType.JSON)
        .body(Map.of("question", "When was the lighthouse built?", "profile", "scripted", "mode", "retrieve"))
        .when().post("/api/collections/" + collection + "/query").then().extract().response();
  }

  /** A request on a raw socket, so that the test can go away without the HTTP client finishing it. */
  private Socket post(String path, String json) throws Exception {
    Socket socket = new Socket(root.getHost(), root.getPort());
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    OutputStream out = socket.getOutputStream();
    out.write(("POST " + path + " HTTP/1.1\r\nHost: " + root.getHost() + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    return socket;
  }

  static double metric(String name, String bound) {
    String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher m = Pattern.compile("(?m)^" + name + "\\{bound=\"" + Pattern.quote(bound) + "\",?\\} (\\S+)$")
        .matcher(text);
    if (!m.find()) {
      throw new AssertionError("no " + name + "{bound=\"" + bound + "\"} in /q/metrics");
    }
    return Double.parseDouble(m.group(1));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(20);
    }
  }
}
