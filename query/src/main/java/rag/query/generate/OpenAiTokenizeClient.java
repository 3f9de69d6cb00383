package rag.query.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Counts tokens with the {@code /tokenize} endpoint at a server's root (beside {@code /v1}), in the
 * shape the server speaks:
 * <ul>
 *   <li>vLLM: {@code {"model","prompt","add_special_tokens"}} to {@code {"count","max_model_len","tokens"}};
 *   <li>llama.cpp server: {@code {"content"}} to {@code {"tokens":[...]}} (special tokens are only
 *       added on request there; a body without {@code content} gets {@code {"tokens":[]}}).
 * </ul>
 * vLLM's shape is tried first, then llama.cpp's. Which one works is remembered per server, and so is
 * a server that has neither (Ollama, hosted APIs): it is not asked again. A server that is down or
 * failing is not remembered either way.
 */
public final class OpenAiTokenizeClient implements TokenizeClient {

  private static final Logger LOG = Logger.getLogger(OpenAiTokenizeClient.class);

  private enum Shape { VLLM, LLAMA_CPP, NONE }

  /** What one attempt got: a count, or no count and whether trying again later could help. */
  private record Attempt(Integer count, boolean transientFailure, String detail) {

    static Attempt counted(int count) {
      return new Attempt(count, false, null);
    }

    static Attempt notThisShape(String detail) {
      return new Attempt(null, false, detail);
    }

    static Attempt failed(String detail) {
      return new Attempt(null, true, detail);
    }
  }

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10))
      .build();
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Shape> shapes = new ConcurrentHashMap<>();

  @Override
  public OptionalInt countTokens(ModelEndpoint endpoint, String text) {
    String url = endpoint.serverRoot() + "/tokenize";
    Shape known = shapes.get(url);
    if (known == Shape.NONE) {
      return OptionalInt.empty();
    }
    if (known != Shape.LLAMA_CPP) {
      Attempt vllm = post(endpoint, url, Map.of("model", endpoint.model(), "prompt", text, "add_special_tokens", false),
          "count");
      if (vllm.count() != null) {
        shapes.put(url, Shape.VLLM);
        return OptionalInt.of(vllm.count());
      }
      if (vllm.transientFailure() || known == Shape.VLLM) {
        return uncounted(url, vllm);
      }
    }
    Attempt llamaCpp = post(endpoint, url, Map.of("content", text), "tokens");
    if (llamaCpp.count() != null) {
      shapes.put(url, Shape.LLAMA_CPP);
      return OptionalInt.of(llamaCpp.count());
    }
    if (llamaCpp.transientFailure() || known == Shape.LLAMA_CPP) {
      return uncounted(url, llamaCpp);
    }
    shapes.put(url, Shape.NONE);
    LOG.infof("%s has no vLLM or llama.cpp tokenizer (%s); token counts for it stay uncalibrated", url,
        llamaCpp.detail());
    return OptionalInt.empty();
  }

  private static OptionalInt uncounted(String url, Attempt attempt) {
    LOG.warnf("could not count tokens with %s: %s", url, attempt.detail());
    return OptionalInt.empty();
  }

  private Attempt post(ModelEndpoint endpoint, String url, Map<String, Object> body, String countField) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
          .timeout(endpoint.timeout())
          .header("Content-Type", "application/json")
          .POST(BodyPublishers.ofString(json.writeValueAsString(body)));
      if (endpoint.apiKey() != null) {
        request.header("Authorization", "Bearer " + endpoint.apiKey());
      }
      HttpResponse<String> response = http.send(request.build(), BodyHandlers.ofString());
      int status = response.statusCode();
      if (status >= 500 || status == 429 || status == 408) {
        return Attempt.failed("HTTP " + status + ": " + ServerErrors.serverMessage(response.body()));
      }
      if (status != 200) {
        return Attempt.notThisShape("HTTP " + status);
      }
      JsonNode answer = json.readTree(response.body());
      JsonNode count = answer.path(countField);
      if (countField.equals("count") && count.isInt()) {
        return Attempt.counted(count.asInt());
      }
      if (countField.equals("tokens") && count.isArray()) {
        return Attempt.counted(count.size());
      }
      return Attempt.notThisShape("answer without \"" + countField + "\"");
    } catch (JsonProcessingException e) {
      return Attempt.notThisShape("answer is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return Attempt.failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Attempt.failed("interrupted");
    }
  }
}
