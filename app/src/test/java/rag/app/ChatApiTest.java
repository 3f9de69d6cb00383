package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import rag.query.generate.ScriptedModelServer;
import rag.query.generate.ScriptedModelServer.Reply;

/** Chat as server-sent events with persisted conversations, and the OpenAI-compatible API, over HTTP. */
@QuarkusTest
@WithTestResource(TempDataDir.class)
@WithTestResource(ScriptedModel.class)
class ChatApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static String collection;

  record Event(String name, JsonNode data) {}

  @BeforeEach
  void ingestOnce() throws Exception {
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

  static List<Event> events(String body) throws Exception {
    List<Event> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      String name = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      if (data != null) {
        events.add(new Event(name, data.equals("[DONE]") ? null : JSON.readTree(data)));
      }
    }
    return events;
  }

  private static String chat(Map<String, Object> body) {
    return given().contentType(ContentType.JSON).body(body).when()
        .post("/api/collections/" + collection + "/chat").then().statusCode(200)
        .contentType(containsString("text/event-stream")).extract().asString();
  }

  @Test
  void aChatStreamsTokensThenCitationsAndPlanAndAFollowUpIsMadeStandalone() throws Exception {
    ScriptedModel.server.reply(Reply.tokens("It was built ", "in 1870 [C1]."));
    List<Event> first = events(chat(Map.of("message", "When was the lighthouse built?", "profile", "scripted")));
    assertThat(first).extracting(Event::name).containsExactly("conversation", "token", "token", "question",
        "citations", "plan", "done");
    String id = first.get(0).data().get("conversationId").asText();
    assertThat(first.get(1).data().get("text").asText() + first.get(2).data().get("text").asText())
        .isEqualTo("It was built in 1870 [C1].");
    assertThat(first.get(4).data().get(0).get("snippet").asText()).isEqualTo("The Point Reyes lighthouse was built in 1870.");
    assertThat(first.get(6).data().get("answerKind").asText()).isEqualTo("generated");

    // the follow-up is rewritten by the model before retrieval, then answered with the earlier turns in the prompt
    ScriptedModel.server.replyInTurn(Reply.tokens("Who made the lens of the Point Reyes lighthouse?"),
        Reply.tokens("Henry-Lepaute made it [C1]."));
    List<Event> second = events(chat(Map.of("conversationId", id, "message", "Who made its lens?", "profile",
        "scripted")));
    assertThat(second.get(0).data().get("conversationId").asText()).isEqualTo(id);
    Event question = second.stream().filter(e -> "question".equals(e.name())).findFirst().orElseThrow();
    assertThat(question.data().get("standalone").asText()).isEqualTo("Who made the lens of the Point Reyes lighthouse?");
    String prompt = ScriptedModel.server.lastChatRequest().body().get("messages").get(1).get("content").asText();
    assertThat(prompt).contains("# Conversation so far\nUser: When was the lighthouse built?\nAssistant: It was built in 1870 [C1].")
        .endsWith("# Question\nWho made the lens of the Point Reyes lighthouse?\n");

    given().when().get("/api/conversations/" + id).then().statusCode(200)
        .body("turns.size()", equalTo(4)).body("turns[3].text", equalTo("Henry-Lepaute made it [C1]."))
        .body("turns[3].citations[0].source", equalTo("lighthouse.txt"));
    given().queryParam("collection", collection).when().get("/api/conversations").then().statusCode(200)
        .body("id", hasItem(id));
  }

  /**
   * A routed chat: the model replies UNANSWERABLE to the retrieved excerpts, the stream says so with a route event (and
   * none of that reply), and the answer comes from the stuffed scope, with the route in the plan and the answer.
   */
  @Test
  void aRoutedChatStreamsARouteEventForTheStepThatFoundNoAnswer() throws Exception {
    ScriptedModel.server.replyInTurn(Reply.tokens("UNANSWER", "ABLE"), Reply.tokens("It was built ", "in 1870 [C1]."));
    List<Event> events = events(chat(Map.of("message", "When was the lighthouse built?", "profile", "scripted",
        "mode", "route")));
    assertThat(events).extracting(Event::name).containsExactly("conversation", "route", "token", "token", "question",
        "citations", "plan", "done");
    JsonNode step = events.get(1).data();
    assertThat(step.get("step").asInt()).isEqualTo(1);
    assertThat(step.get("mode").asText()).isEqualTo("retrieve");
    assertThat(step.get("budget").asLong()).isEqualTo(4096);
    assertThat(step.get("answered").asBoolean()).isFalse();
    assertThat(step.get("note").asText()).startsWith("the model replied UNANSWERABLE to");
    List<ScriptedModelServer.RecordedRequest> chats = ScriptedModel.server.requests("/v1/chat/completions");
    assertThat(chats.get(chats.size() - 2).body().toString()).contains("reply with the single word UNANSWERABLE");
    assertThat(chats.get(chats.size() - 1).body().toString()).doesNotContain("UNANSWERABLE");
    JsonNode plan = events.get(6).data();
    assertThat(plan.get("mode").asText()).isEqualTo("stuff");
    assertThat(plan.get("reason").asText()).startsWith("step 2 of the route (after the model replied UNANSWERABLE");
    assertThat(plan.get("route").findValuesAsText("mode")).containsExactly("retrieve", "stuff");
    assertThat(events.get(7).data().get("answer").asText()).isEqualTo("It was built in 1870 [C1].");

    // the same over /query: the steps taken and the tokens they cost in all
    ScriptedModel.server.replyInTurn(Reply.tokens("UNANSWERABLE"), Reply.tokens("In 1870 [C1]."));
    var answer = given().contentType(ContentType.JSON).body(Map.of("question", "When was the lighthouse built?",
        "profile", "scripted", "mode", "route")).when().post("/api/collections/" + collection + "/query").then()
        .statusCode(200).extract().jsonPath();
    assertThat(answer.getList("route.mode")).containsExactly("retrieve", "stuff");
    assertThat(answer.getList("route.answered")).containsExactly(false, true);
    List<Number> spent = answer.getList("route.tokensSpent");
    assertThat(answer.getLong("tokensSpent")).isEqualTo(spent.stream().mapToLong(Number::longValue).sum())
        .isPositive();
  }

  @Test
  void withoutAModelTheChatIsExtractiveAndFollowUpsCarryKeyTerms() throws Exception {
    List<Event> first = events(chat(Map.of("message", "When was the lighthouse built?")));
    assertThat(first.get(first.size() - 1).data().get("answerKind").asText()).isEqualTo("extractive");
    String id = first.get(0).data().get("conversationId").asText();
    List<Event> second = events(chat(Map.of("conversationId", id, "message", "Who made its lens?")));
    Event question = second.stream().filter(e -> "question".equals(e.name())).findFirst().orElseThrow();
    assertThat(question.data().get("standalone").asText()).isEqualTo("Who made its lens? (lighthouse built)");
  }

  @Test
  void chatErrorsBeforeTheStreamAreProblemDetails() {
    given().contentType(ContentType.JSON).body(Map.of("message", "")).when()
        .post("/api/collections/" + collection + "/chat").then().statusCode(400)
        .contentType("application/problem+json");
    given().contentType(ContentType.JSON).body(Map.of("message", "hi", "conversationId", "nope")).when()
        .post("/api/collections/" + collection + "/chat").then().statusCode(404);
    ScriptedModel.server.reply(Reply.error(503, "overloaded"));
    given().contentType(ContentType.JSON).body(Map.of("message", "When?", "profile", "scripted")).when()
        .post("/api/collections/" + collection + "/chat").then().statusCode(503)
        .body("type", equalTo("/problems/model-unavailable")).body("plan.mode", equalTo("stuff"));
  }

  /** A failure after the first token is an SSE error event carrying the same problem the HTTP API would answer. */
  @Test
  void aModelFailureMidStreamIsAnErrorEventWithTheRegistrysProblemType() throws Exception {
    ScriptedModel.server.reply(Reply.tokens("Built in ", "1870 ", "[C1].").failAfter(1, 500, "engine died"));
    List<Event> events = events(chat(Map.of("message", "When was the lighthouse built?", "profile", "scripted")));
    assertThat(events.stream().map(Event::name)).contains("token").doesNotContain("done");
    Event error = events.get(events.size() - 1);
    assertThat(error.name()).isEqualTo("error");
    assertThat(error.data().get("type").asText()).isIn("/problems/model-unavailable", "/problems/model-bad-response");
    assertThat(error.data().get("title").asText()).isNotBlank();
    assertThat(error.data().get("status").asInt()).isIn(502, 503);
    assertThat(error.data().get("instance").asText()).isEqualTo("/api/collections/" + collection + "/chat");
    assertThat(error.data().get("detail").asText()).contains("engine died").doesNotContain("Exception");
  }

  @Test
  void openAiClientsCanListModelsAndChatWithAndWithoutStreaming() throws Exception {
    String model = "scripted/" + collection;
    given().when().get("/v1/models").then().statusCode(200).body("object", equalTo("list"))
        .body("data.id", hasItem(model)).body("data.id", hasItem("qwen3/" + collection));

    ScriptedModel.server.reply(Reply.tokens("Built in ", "1870 [C1]."));
    given().contentType(ContentType.JSON).body(Map.of("model", model, "messages",
        List.of(Map.of("role", "user", "content", "When was the lighthouse built?")))).when()
        .post("/v1/chat/completions").then().statusCode(200)
        .body("object", equalTo("chat.completion"))
        .body("choices[0].message.role", equalTo("assistant"))
        .body("choices[0].message.content", equalTo("Built in 1870 [C1]."))
        .body("choices[0].finish_reason", equalTo("stop"))
        .body("citations[0].source", equalTo("lighthouse.txt"));

    ScriptedModel.server.reply(Reply.tokens("Built in ", "1870 [C1]."));
    String body = given().contentType(ContentType.JSON).body(Map.of("model", model, "stream", true, "messages",
        List.of(Map.of("role", "user", "content", "When was the lighthouse built?")))).when()
        .post("/v1/chat/completions").then().statusCode(200).contentType(containsString("text/event-stream"))
        .extract().asString();
    List<Event> chunks = events(body);
    assertThat(chunks.get(chunks.size() - 1).data()).as("[DONE]").isNull();
    StringBuilder text = new StringBuilder();
    for (Event e : chunks.subList(0, chunks.size() - 1)) {
      assertThat(e.data().get("object").asText()).isEqualTo("chat.completion.chunk");
      JsonNode content = e.data().get("choices").get(0).get("delta").get("content");
      if (content != null && !content.isNull()) {
        text.append(content.asText());
      }
    }
    assertThat(text.toString()).isEqualTo("Built in 1870 [C1].");
    JsonNode last = chunks.get(chunks.size() - 2).data();
    assertThat(last.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
    assertThat(last.get("citations").get(0).get("snippet").asText()).contains("built in 1870");

    given().contentType(ContentType.JSON).body(Map.of("model", "qwen3", "messages",
        List.of(Map.of("role", "user", "content", "hi")))).when().post("/v1/chat/completions").then()
        .statusCode(400).body("detail", containsString("<profile>/<collection>"));
  }
}
