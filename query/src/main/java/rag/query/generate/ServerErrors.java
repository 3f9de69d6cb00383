package rag.query.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import rag.query.generate.ModelException.Kind;

/** Turns what went wrong talking to a model server into a {@link ModelException}; shared by both clients. */
final class ServerErrors {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MESSAGE_CHARS = 2_000;

  private ServerErrors() {
  }

  /** The server answered {@code status} (not 2xx) with {@code body}. */
  static ModelException forStatus(ModelEndpoint endpoint, int status, String body, Throwable cause) {
    String serverMessage = serverMessage(body);
    Kind kind = status >= 500 || status == 429 ? Kind.UNAVAILABLE
        : status == 408 ? Kind.TIMEOUT
        : status >= 400 ? Kind.REFUSED
        : Kind.BAD_RESPONSE;
    return new ModelException(kind, status, serverMessage,
        endpoint.describe() + " answered HTTP " + status + (serverMessage == null ? "" : ": " + serverMessage), cause);
  }

  /**
   * A failure from either client, LangChain4j's exceptions included: they wrap an {@link HttpException}
   * (status and body), a {@link dev.langchain4j.exception.TimeoutException} or the JDK's own exception.
   */
  static ModelException forFailure(ModelEndpoint endpoint, Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ModelException modelException) {
        return modelException;
      }
      if (t instanceof HttpException http) {
        return forStatus(endpoint, http.statusCode(), http.getMessage(), failure);
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
        return new ModelException(Kind.TIMEOUT, null, null,
            endpoint.describe() + " did not answer within " + endpoint.timeout(), failure);
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof JsonProcessingException) {
        return new ModelException(Kind.BAD_RESPONSE, null, null,
            endpoint.describe() + " sent JSON that is not a chat completion: " + t.getMessage(), failure);
      }
      if (t instanceof IOException || t instanceof UnresolvedAddressException) {
        return new ModelException(Kind.UNAVAILABLE, null, null,
            endpoint.describe() + " is unavailable: " + describe(t), failure);
      }
    }
    return new ModelException(Kind.BAD_RESPONSE, null, null,
        endpoint.describe() + " failed: " + describe(failure), failure);
  }

  /**
   * An error the server sent as an event after the answer had started, as vLLM does when generation
   * fails: {@code data: {"error":{"message","type","code"}}} (older vLLM: {@code {"object":"error","message",...}}).
   */
  static boolean isErrorEvent(JsonNode chunk) {
    return chunk.path("error").isObject() || "error".equals(chunk.path("object").asText());
  }

  static ModelException errorEvent(ModelEndpoint endpoint, String data, int tokens) {
    int code;
    try {
      JsonNode chunk = JSON.readTree(data);
      code = chunk.path("error").isObject() ? chunk.path("error").path("code").asInt(0) : chunk.path("code").asInt(0);
    } catch (IOException e) {
      code = 0;
    }
    String serverMessage = serverMessage(data);
    Kind kind = code >= 500 || code == 429 ? Kind.UNAVAILABLE : code >= 400 ? Kind.REFUSED : Kind.BAD_RESPONSE;
    return new ModelException(kind, null, serverMessage,
        endpoint.describe() + " reported an error after " + tokens + " answer tokens: " + serverMessage, null);
  }

  /** The stream ended with neither a finish reason nor [DONE]: the server died or a proxy cut the answer short. */
  static ModelException cutShort(ModelEndpoint endpoint, int tokens) {
    return new ModelException(Kind.UNAVAILABLE, null, null, endpoint.describe() + " ended its answer stream after "
        + tokens + " answer tokens without a finish reason or [DONE]: the answer is incomplete", null);
  }

  /** The deadline passed: {@code tokens} answer tokens had arrived. */
  static ModelException stalled(ModelEndpoint endpoint, int tokens) {
    return new ModelException(Kind.TIMEOUT, null, null, endpoint.describe() + " sent nothing for "
        + endpoint.stallTimeout() + " after " + tokens + " answer tokens (its stall timeout); the request was abandoned",
        null);
  }

  static ModelException deadlinePassed(ModelEndpoint endpoint, int tokens) {
    return new ModelException(Kind.TIMEOUT, null, null, endpoint.describe() + " did not complete its answer within "
        + endpoint.timeout() + " (" + tokens + " answer tokens received); the request was abandoned", null);
  }

  /**
   * The error message from an error body: OpenAI's and current vLLM's {@code {"error":{"message":...}}},
   * older vLLM's {@code {"object":"error","message":...}}, Ollama's {@code {"error":"..."}}, FastAPI's
   * {@code {"detail":...}}; otherwise the body itself, shortened; null for an empty body.
   */
  static String serverMessage(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      JsonNode root = JSON.readTree(body);
      JsonNode error = root.path("error");
      for (JsonNode candidate : new JsonNode[] {error.path("message"), error, root.path("message"), root.path("detail")}) {
        if (candidate.isTextual() && !candidate.asText().isBlank()) {
          return shorten(candidate.asText());
        }
      }
    } catch (IOException | RuntimeException notJson) {
      // not JSON: the body is the message
    }
    return shorten(body.strip());
  }

  private static String shorten(String text) {
    return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS) + "...";
  }

  private static String describe(Throwable t) {
    String message = t.getMessage() == null || t.getMessage().isBlank() ? null : t.getMessage();
    if (t instanceof ConnectException) {
      return "could not connect" + (message == null ? "" : " (" + message + ")");
    }
    if (t instanceof UnresolvedAddressException) {
      return "unknown host";
    }
    return message == null ? "connection failed" : message;
  }
}
