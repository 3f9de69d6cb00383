package rag.query.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.TimeoutException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import rag.query.generate.ModelException.Kind;

class ServerErrorsTest {

  private static final ModelEndpoint ENDPOINT =
      new ModelEndpoint("http://gpu-1:8000/v1", "qwen3", "secret-key", Duration.ofSeconds(30), 512, null);

  @Test
  void readsTheMessageFromEachServersErrorShape() {
    assertThat(ServerErrors.serverMessage(
        "{\"error\":{\"message\":\"maximum context length is 8192 tokens\",\"type\":\"BadRequestError\",\"code\":400}}"))
        .isEqualTo("maximum context length is 8192 tokens");
    assertThat(ServerErrors.serverMessage(
        "{\"object\":\"error\",\"message\":\"older vLLM\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}"))
        .isEqualTo("older vLLM");
    assertThat(ServerErrors.serverMessage("{\"error\":\"model 'x' not found\"}")).isEqualTo("model 'x' not found");
    assertThat(ServerErrors.serverMessage("{\"detail\":\"Not Found\"}")).isEqualTo("Not Found");
    assertThat(ServerErrors.serverMessage("<html>502 Bad Gateway</html>\n")).isEqualTo("<html>502 Bad Gateway</html>");
    assertThat(ServerErrors.serverMessage("")).isNull();
    assertThat(ServerErrors.serverMessage("x".repeat(5_000))).hasSize(2_003).endsWith("...");
  }

  @Test
  void classifiesStatuses() {
    assertThat(ServerErrors.forStatus(ENDPOINT, 400, "", null).kind()).isEqualTo(Kind.REFUSED);
    assertThat(ServerErrors.forStatus(ENDPOINT, 401, "", null).kind()).isEqualTo(Kind.REFUSED);
    assertThat(ServerErrors.forStatus(ENDPOINT, 413, "", null).kind()).isEqualTo(Kind.REFUSED);
    assertThat(ServerErrors.forStatus(ENDPOINT, 408, "", null).kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(ServerErrors.forStatus(ENDPOINT, 429, "", null).kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(ServerErrors.forStatus(ENDPOINT, 502, "", null).kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(ServerErrors.forStatus(ENDPOINT, 302, "", null).kind()).isEqualTo(Kind.BAD_RESPONSE);
  }

  @Test
  void unwrapsLangChain4jExceptionsToTheStatusAndBody() {
    ModelException refused = ServerErrors.forFailure(ENDPOINT,
        new InvalidRequestException(new HttpException(400, "{\"error\":{\"message\":\"too long\"}}")));
    ModelException unavailable = ServerErrors.forFailure(ENDPOINT,
        new InternalServerException(new HttpException(503, "{\"error\":{\"message\":\"loading\"}}")));

    assertThat(refused.kind()).isEqualTo(Kind.REFUSED);
    assertThat(refused.httpStatus()).isEqualTo(400);
    assertThat(refused.serverMessage()).isEqualTo("too long");
    assertThat(unavailable.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(unavailable.serverMessage()).isEqualTo("loading");
  }

  @Test
  void timeoutsAndConnectionFailuresAreTimeoutAndUnavailable() {
    assertThat(ServerErrors.forFailure(ENDPOINT,
        new TimeoutException(new HttpTimeoutException("request timed out"))).kind())
        .isEqualTo(Kind.TIMEOUT);
    assertThat(ServerErrors.forFailure(ENDPOINT, new HttpConnectTimeoutException("connect timed out")).kind())
        .isEqualTo(Kind.TIMEOUT);
    ModelException refused = ServerErrors.forFailure(ENDPOINT, new CompletionException(new ConnectException()));
    assertThat(refused.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(refused.getMessage()).isEqualTo("model server http://gpu-1:8000/v1 (model qwen3) is unavailable: "
        + "could not connect");
  }

  @Test
  void readsErrorEventsInBothVllmShapes() {
    ModelException current = ServerErrors.errorEvent(ENDPOINT,
        "{\"error\":{\"message\":\"engine died\",\"type\":\"InternalServerError\",\"code\":500}}", 7);
    ModelException older = ServerErrors.errorEvent(ENDPOINT,
        "{\"object\":\"error\",\"message\":\"bad stop sequence\",\"type\":\"BadRequestError\",\"code\":400}", 0);

    assertThat(current.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(current.serverMessage()).isEqualTo("engine died");
    assertThat(current.getMessage()).contains("after 7 answer tokens");
    assertThat(older.kind()).isEqualTo(Kind.REFUSED);
    assertThat(older.serverMessage()).isEqualTo("bad stop sequence");
  }

  @Test
  void neverPutsTheApiKeyInMessagesOrToString() {
    ModelException failure = ServerErrors.forStatus(ENDPOINT, 401, "{\"error\":{\"message\":\"bad key\"}}", null);

    assertThat(failure.getMessage()).doesNotContain("secret-key");
    assertThat(ENDPOINT.toString()).doesNotContain("secret-key").contains("apiKey=****");
  }
}
