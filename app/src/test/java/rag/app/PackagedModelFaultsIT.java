package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rag.query.generate.ScriptedModelServer;
import rag.query.generate.ScriptedModelServer.Reply;

/**
 * The model server fails in every way a real one does, behind the packaged service (issue 16): it refuses
 * connections, answers 500, never answers, stalls mid-answer, sends an error event, hangs up mid-answer or sends
 * garbage. A question gets a problem (or, once its answer streams, an SSE error event) within the profile's timeouts,
 * never a 500 or a hang, and the next question is answered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagedModelFaultsIT {
  private static final String COLLECTION = "faults";
  private static final Duration TIMEOUT = Duration.ofSeconds(4);
  private ScriptedModelServer model;
  private Path home;
  private PackagedService service;

  @BeforeAll
  void start() throws Exception {
    model = ScriptedModelServer.start();
    home = Files.createTempDirectory("rag-faults");
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Map<String, String> p = new HashMap<>();
    for (String profile : List.of("scripted", "refusing")) {
      p.put("rag.models." + profile + ".base-url", profile.equals("scripted") ? model.baseUrl()
          : "http://127.0.0.1:" + closedPort + "/v1");
      p.put("rag.models." + profile + ".model", ScriptedModelServer.MODEL);
      p.put("rag.models." + profile + ".context-window", "32768");
      p.put("rag.models." + profile + ".answer-reserve", "512");
      p.put("rag.models." + profile + ".timeout", TIMEOUT.toSeconds() + "s");
      p.put("rag.models." + profile + ".stall-timeout", "1s");
    }
    service = PackagedService.start(home, p);
    String job = given().spec(service.http()).multiPart("file", "keeper.txt",
        "The lighthouse keeper logs the weather every morning at six.".getBytes(StandardCharsets.UTF_8), "text/plain")
        .post("/api/collections/" + COLLECTION + "/documents").then().statusCode(202).extract().jsonPath()
        .getString("jobId");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!given().spec(service.http()).get("/api/jobs/" + job).then().extract().jsonPath().getString("state")
        .equals("succeeded")) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      PackagedService.sleep(100);
    }
  }

  @AfterAll
  void stop() throws Exception {
    try {
      assertThat(service.errorLines()).as("ERROR lines of the service's log").isEmpty();
    } finally {
      service.close();
      model.close();
      PackagedJourney.deleteTree(home);
    }
  }

  static Stream<Arguments> faults() {
    List<String> two = List.of("The keeper ", "logs ");
    return Stream.of(
        Arguments.of("refuses connections", "refusing", (Supplier<Reply>) () -> Reply.tokens("unused")),
        Arguments.of("answers 500", "scripted", (Supplier<Reply>) () -> Reply.error(500, "internal server error")),
        Arguments.of("never answers", "scripted", (Supplier<Reply>) Reply::silence),
        Arguments.of("stalls mid-answer", "scripted",
            (Supplier<Reply>) () -> Reply.tokens(two.toArray(String[]::new)).stallAfter(2)),
        Arguments.of("sends an error event mid-answer", "scripted", (Supplier<Reply>) () ->
            Reply.tokens("The keeper ", "logs ", "more").failAfter(2, 500, "CUDA out of memory")),
        Arguments.of("hangs up mid-answer", "scripted",
            (Supplier<Reply>) () -> Reply.tokens("The keeper ", "logs ", "more").hangUpAfter(2)),
        Arguments.of("sends garbage", "scripted", (Supplier<Reply>) () ->
            Reply.raw("data: {\"id\": this is not json\n\ndata: [DONE]\n\n")));
  }

  @ParameterizedTest(name = "the model server {0}: a query gets a problem in time, then the next one an answer")
  @MethodSource("faults")
  void aQueryGetsAProblemInTimeAndTheNextOneAnAnswer(String fault, String profile, Supplier<Reply> reply) {
    model.reply(reply.get());
    long start = System.nanoTime();
    Response failed = ask("/query", Map.of("question", "What does the keeper log?", "profile", profile, "mode",
        "retrieve"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as(fault).isLessThan(TIMEOUT.plusSeconds(10));
    assertThat(failed.statusCode()).as(fault + ": " + failed.asString()).isIn(502, 503);
    assertThat(failed.contentType()).startsWith("application/problem+json");
    assertThat(failed.jsonPath().getString("type")).as(fault).startsWith("/problems/model-");
    assertThat(failed.jsonPath().getString("plan.mode")).as("the problem carries the plan").isEqualTo("retrieve");
    answered();
  }

  @ParameterizedTest(name = "the model server {0}: a chat gets a problem or an SSE error event in time")
  @MethodSource("faults")
  void aChatGetsAProblemOrAnErrorEventInTimeAndTheNextOneAnAnswer(String fault, String profile,
      Supplier<Reply> reply) throws Exception {
    model.reply(reply.get());
    long start = System.nanoTime();
    Response chat = ask("/chat", Map.of("message", "What does the keeper log?", "profile", profile, "mode",
        "retrieve"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as(fault).isLessThan(TIMEOUT.plusSeconds(10));
    if (chat.statusCode() == 200) {
      List<ChatApiTest.Event> events = ChatApiTest.events(chat.asString());
      ChatApiTest.Event last = events.get(events.size() - 1);
      assertThat(last.name()).as(fault + ": " + chat.asString()).isEqualTo("error");
      assertThat(last.data().get("type").asText()).startsWith("/problems/model-");
    } else {
      assertThat(chat.statusCode()).as(fault).isIn(502, 503);
      assertThat(chat.contentType()).startsWith("application/problem+json");
    }
    answered();
  }

  private void answered() {
    model.reply(Reply.tokens("The keeper logs the weather [C1]."));
    Response ok = ask("/query", Map.of("question", "What does the keeper log?", "profile", "scripted", "mode",
        "retrieve"));
    assertThat(ok.statusCode()).as(ok.asString()).isEqualTo(200);
    assertThat(ok.jsonPath().getString("answer")).isEqualTo("The keeper logs the weather [C1].");
  }

  private Response ask(String path, Map<String, Object> body) {
    return given().spec(service.http()).contentType(ContentType.JSON).body(body)
        .post("/api/collections/" + COLLECTION + path).then().extract().response();
  }
}
