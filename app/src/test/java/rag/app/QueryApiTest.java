package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import rag.query.generate.ScriptedModelServer.Reply;

/**
 * Questions over HTTP through the real pipeline: extractive answers with no model, generated answers
 * from a scripted OpenAI-compatible server on a socket, and its failures as problem details with the plan.
 */
@QuarkusTest
@WithTestResource(TempDataDir.class)
@WithTestResource(ScriptedModel.class)
class QueryApiTest {
  private static final String TRANSCRIPT = """
      WEBVTT

      00:00:01.000 --> 00:00:04.000
      <v Alice>We trimmed the wicks at dusk, every evening.

      00:00:04.500 --> 00:00:09.000
      <v Bob>The foghorn sounded every thirty seconds in the fog.
      """;
  private static final String NOTES = "The lighthouse at Point Reyes was built in 1870. Its lens came from France.";
  private static String collection;

  @BeforeEach
  void ingestOnce() throws Exception {
    if (collection != null) {
      return;
    }
    collection = IngestApiTest.newCollection();
    String jobId = given().multiPart("file", "keeper.vtt", TRANSCRIPT.getBytes(StandardCharsets.UTF_8), "text/vtt")
        .multiPart("file", "notes.txt", NOTES.getBytes(StandardCharsets.UTF_8), "text/plain")
        .when().post("/api/collections/" + collection + "/documents").then().statusCode(202).extract().jsonPath()
        .getString("jobId");
    assertThat(IngestApiTest.awaitJob(jobId).getString("state")).isEqualTo("succeeded");
  }

  private static ValidatableResponse ask(String path, Map<String, Object> body) {
    return given().contentType(ContentType.JSON).body(body).when()
        .post("/api/collections/" + collection + path).then();
  }

  @Test
  void withoutAModelTheAnswerIsExtractiveWithCitationsAndThePlan() {
    JsonPath answer = ask("/query", Map.of("question", "How often did the foghorn sound?", "profile", "qwen3"))
        .statusCode(200).extract().jsonPath();
    assertThat(answer.getString("answerKind")).isEqualTo("extractive");
    assertThat(answer.getString("answer")).contains("extractive").contains("foghorn sounded every thirty seconds");
    assertThat(answer.getString("citations[0].source")).isEqualTo("keeper.vtt");
    assertThat(answer.getString("citations[0].snippet")).contains("foghorn sounded every thirty seconds");
    assertThat(answer.getLong("citations[0].startMs")).isEqualTo(1000L);
    assertThat(answer.getString("plan.mode")).isEqualTo("stuff");
    assertThat(answer.getString("plan.profile")).isEqualTo("qwen3");
    assertThat(answer.getLong("plan.contextWindow")).isEqualTo(262144L);
    assertThat(answer.getInt("plan.documentsInScope")).isEqualTo(2);
    assertThat(answer.getString("plan.tokenCounting")).as("qwen3 ships its tokenizer").isEqualTo("exact");
    assertThat(answer.getString("plan.tokenizer")).isEqualTo("qwen3");
    assertThat(answer.getDouble("plan.safetyMargin")).isZero();
    assertThat(answer.getString("plan.reason")).contains("exactly").contains("qwen3 tokenizer");
    given().when().get("/api/profiles").then().statusCode(200)
        .body("profiles.find { it.name == 'qwen3' }.exactTokenCounts", equalTo(true))
        .body("profiles.find { it.name == 'llama4-scout' }.exactTokenCounts", equalTo(false))
        .body("profiles.find { it.name == 'scripted' }.prefillTokensPerSecond", equalTo(2000.0f))
        .body("profiles.find { it.name == 'scripted' }.maxPrefillSeconds", equalTo(120.0f))
        .body("profiles.find { it.name == 'llama4-scout' }.maxPrefillSeconds", equalTo(null))
        .body("profiles.find { it.name == 'scripted' }.effectiveContext", equalTo(30000))
        .body("profiles.find { it.name == 'qwen3' }.effectiveContext", equalTo(null));
  }

  @Test
  void thePlanAloneAndWithItsPrompt() {
    ask("/plan", Map.of("question", "Who built the lighthouse?", "mode", "retrieve"))
        .statusCode(200).body("mode", equalTo("retrieve")).body("chunks[0].id", equalTo("C1"))
        .body("reason", containsString("retrieve was requested"));
    given().contentType(ContentType.JSON).body(Map.of("question", "Who built the lighthouse?"))
        .queryParam("includePrompt", true).when().post("/api/collections/" + collection + "/plan").then()
        .statusCode(200).body("mode", equalTo("stuff"))
        .body("prompt", containsString("<<<DOCUMENT D1"))
        .body("prompt", containsString("[C1 | 00:00:01.000-00:00:09.000]")) // keeper.vtt sorts first
        .body("prompt", endsWith("# Question\nWho built the lighthouse?\n\n"));
  }

  @Test
  void aConfiguredModelAnswersAndItsCitationsAreChecked() {
    ScriptedModel.server.reply(Reply.tokens("The light was ", "built in 1870 ", "[C2]. It has a ", "moon base [C9]."));
    JsonPath answer = ask("/query", Map.of("question", "When was the lighthouse built?", "profile", "scripted"))
        .statusCode(200).extract().jsonPath();
    assertThat(answer.getString("answerKind")).isEqualTo("generated");
    assertThat(answer.getString("answer")).isEqualTo("The light was built in 1870 [C2]. It has a moon base [C9].");
    assertThat(answer.getList("citations")).hasSize(1); // C9 does not exist
    assertThat(answer.getString("citations[0].snippet")).isEqualTo("The lighthouse at Point Reyes was built in 1870.");
    assertThat(answer.getString("citations[0].source")).isEqualTo("notes.txt");
    var request = ScriptedModel.server.lastChatRequest();
    assertThat(request.body().get("messages").get(0).get("role").asText()).isEqualTo("system");
    assertThat(request.body().get("messages").get(1).get("content").asText())
        .contains("<<<DOCUMENT D1").endsWith("# Question\nWhen was the lighthouse built?\n");
  }

  @Test
  void modelServerFailuresAreProblemDetailsThatKeepThePlan() {
    ScriptedModel.server.reply(Reply.error(500, "the GPU caught fire"));
    ask("/query", Map.of("question", "When was the lighthouse built?", "profile", "scripted"))
        .statusCode(503).contentType("application/problem+json")
        .body("type", equalTo("/problems/model-unavailable")).body("plan.mode", equalTo("stuff"))
        .body("detail", notNullValue());
    ScriptedModel.server.reply(Reply.error(400, "This model's maximum context length is 32768 tokens."));
    ask("/query", Map.of("question", "When was the lighthouse built?", "profile", "scripted"))
        .statusCode(502).body("type", equalTo("/problems/model-refused"))
        .body("detail", containsString("maximum context length")).body("plan.profile", equalTo("scripted"));
    ScriptedModel.server.reply(Reply.silence());
    ask("/query", Map.of("question", "When was the lighthouse built?", "profile", "scripted"))
        .statusCode(503).body("type", equalTo("/problems/model-timeout"));
    ScriptedModel.server.reply(Reply.tokens("It", " was", " built").stallAfter(1));
    ask("/query", Map.of("question", "When was the lighthouse built?", "profile", "scripted"))
        .statusCode(503).body("type", equalTo("/problems/model-timeout"))
        .body("detail", containsString("sent nothing for PT1S after 1 answer tokens (its stall timeout)"))
        .body("plan.profile", equalTo("scripted"));
  }

  @Test
  void badQuestionsAreProblemDetails() {
    ask("/query", Map.of("question", "x", "profile", "nope")).statusCode(400)
        .contentType("application/problem+json").body("detail", containsString("no model profile 'nope'"));
    ask("/query", Map.of("question", " ")).statusCode(400).body("detail", containsString("question"));
    ask("/query", Map.of("question", "x", "mode", "guess")).statusCode(400).body("detail", containsString("mode"));
    given().contentType(ContentType.JSON).body("{\"question\": \"x\", \"filters\": {\"mediaTypes\": [null]}}")
        .when().post("/api/collections/" + collection + "/query").then().statusCode(400)
        .contentType("application/problem+json").body("detail", equalTo("illegal filters.mediaTypes: null is not a value"));
    given().contentType(ContentType.JSON).body(Map.of("question", "x")).when()
        .post("/api/collections/no-such-collection/query").then().statusCode(404);
  }
}
