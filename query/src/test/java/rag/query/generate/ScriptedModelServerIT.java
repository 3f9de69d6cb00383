package rag.query.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.FinishReason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import rag.query.generate.ScriptedModelServer.Reply;

/** The scripted server also speaks the parts of the protocol the model clients here do not use. */
class ScriptedModelServerIT {

  private ScriptedModelServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = ScriptedModelServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void answersNonStreamingRequestsAsAChatCompletion() {
    server.reply(Reply.tokens("Plain", " answer").promptTokens(21));
    OpenAiChatModel model = OpenAiChatModel.builder()
        .baseUrl(server.baseUrl())
        .modelName(ScriptedModelServer.MODEL)
        .timeout(Duration.ofSeconds(10))
        .build();

    ChatResponse response = model.chat(UserMessage.from("Question?"));

    assertThat(response.aiMessage().text()).isEqualTo("Plain answer");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(21);
    assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(2);
    assertThat(server.lastChatRequest().body().path("stream").asBoolean(false)).isFalse();
  }

  @Test
  void listsItsModel() throws Exception {
    HttpClient http = HttpClient.newHttpClient();

    String body = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/models")).GET().build(),
        BodyHandlers.ofString()).body();

    JsonNode models = new ObjectMapper().readTree(body);
    assertThat(models.path("object").asText()).isEqualTo("list");
    assertThat(models.path("data").path(0).path("id").asText()).isEqualTo(ScriptedModelServer.MODEL);
    assertThat(server.requests()).singleElement().satisfies(request -> {
      assertThat(request.method()).isEqualTo("GET");
      assertThat(request.path()).isEqualTo("/v1/models");
    });
  }
}
