package rag.query.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import rag.query.generate.ScriptedModelServer.TokenizeShape;

class OpenAiTokenizeClientIT {

  private static final String TEXT = "Tides are driven by the moon and the sun";

  private final OpenAiTokenizeClient client = new OpenAiTokenizeClient();
  private ScriptedModelServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = ScriptedModelServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void countsWithVllmsTokenizeAtTheServerRoot() {
    server.tokenizeShape(TokenizeShape.VLLM);

    OptionalInt count = client.countTokens(server.endpoint(Duration.ofSeconds(5)), TEXT);

    assertThat(count).hasValue(9);
    assertThat(server.requests()).hasSize(1);
    ScriptedModelServer.RecordedRequest request = server.requests().get(0);
    assertThat(request.path()).isEqualTo("/tokenize");
    JsonNode body = request.body();
    assertThat(body.path("model").asText()).isEqualTo(ScriptedModelServer.MODEL);
    assertThat(body.path("prompt").asText()).isEqualTo(TEXT);
    assertThat(body.path("add_special_tokens").asBoolean(true)).isFalse();
  }

  @Test
  void countsWithLlamaCppsTokenizeAfterVllmsShapeGetsNoCount() {
    server.tokenizeShape(TokenizeShape.LLAMA_CPP);
    ModelEndpoint endpoint = server.endpoint(Duration.ofSeconds(5));

    OptionalInt first = client.countTokens(endpoint, TEXT);
    OptionalInt second = client.countTokens(endpoint, "two words");

    assertThat(first).hasValue(9);
    assertThat(second).hasValue(2);
    assertThat(server.requests()).hasSize(3).allSatisfy(request -> assertThat(request.path()).isEqualTo("/tokenize"));
    assertThat(server.requests().get(0).body().has("prompt")).isTrue();
    assertThat(server.requests().get(1).body().path("content").asText()).isEqualTo(TEXT);
    assertThat(server.requests().get(2).body().path("content").asText())
        .as("the llama.cpp shape is remembered").isEqualTo("two words");
  }

  @Test
  void aServerWithoutTokenizeGivesNoCountAndIsNotAskedAgain() {
    server.tokenizeShape(TokenizeShape.NONE);
    ModelEndpoint endpoint = server.endpoint(Duration.ofSeconds(5));

    OptionalInt first = client.countTokens(endpoint, TEXT);
    int requestsAfterFirst = server.requests().size();
    OptionalInt second = client.countTokens(endpoint, TEXT);

    assertThat(first).isEmpty();
    assertThat(second).isEmpty();
    assertThat(requestsAfterFirst).isEqualTo(2);
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void aServerThatIsDownGivesNoCount() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    ModelEndpoint down = new ModelEndpoint("http://127.0.0.1:" + closedPort + "/v1", "m", null,
        Duration.ofSeconds(5), 64, null);

    assertThat(client.countTokens(down, TEXT)).isEmpty();
  }
}
