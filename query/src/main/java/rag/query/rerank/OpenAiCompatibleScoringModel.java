package rag.query.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.model.scoring.ScoringModel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * LangChain4j's {@link ScoringModel} over the {@code /rerank} endpoint of the servers that host cross-encoders, in
 * either of its two shapes:
 * <ul>
 *   <li>{@link Api#COHERE}, the one vLLM, Infinity, Jina and Cohere speak: {@code {"model", "query", "documents"}} to
 *       {@code {"results": [{"index", "relevance_score"}, ...]}};
 *   <li>{@link Api#TEI}, Hugging Face's Text Embeddings Inference: {@code {"query", "texts"}} to
 *       {@code [{"index", "score"}, ...]}.
 * </ul>
 * Either answer is read whichever shape was sent. The endpoint is {@code <base-url>/rerank}: give vLLM's base URL with
 * its {@code /v1}, TEI's without. Scores are returned in the order of the segments; an answer that leaves a segment
 * unscored, names an index twice or out of range, or is not JSON, is an {@link RerankException}, and so is any HTTP
 * error or a reply slower than the timeout.
 */
public final class OpenAiCompatibleScoringModel implements ScoringModel {
  /** The request shape. */
  public enum Api {
    COHERE, TEI;

    public static Api parse(String name) {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final String model;
  private final String apiKey;
  private final Duration timeout;
  private final Api api;
  private final HttpClient http;

  public OpenAiCompatibleScoringModel(String baseUrl, String model, String apiKey, Duration timeout, Api api) {
    String base = Objects.requireNonNull(baseUrl, "baseUrl").strip();
    this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/rerank");
    this.model = model;
    this.apiKey = apiKey;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.api = Objects.requireNonNull(api, "api");
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10)).build();
  }

  /** Where requests go. */
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public Response<List<Double>> scoreAll(List<TextSegment> segments, String query) {
    if (segments.isEmpty()) {
      return Response.from(List.of());
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body(segments, query), StandardCharsets.UTF_8));
    if (apiKey != null && !apiKey.isBlank()) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new RerankException("the rerank server did not answer within " + timeout.toMillis() + " ms", e);
    } catch (IOException e) {
      throw new RerankException("the rerank server at " + endpoint + " cannot be reached: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RerankException("interrupted while waiting for the rerank server", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new RerankException("the rerank server answered HTTP " + response.statusCode() + ": "
          + abbreviate(response.body()));
    }
    return parse(response.body(), segments.size());
  }

  private String body(List<TextSegment> segments, String query) {
    ObjectNode body = JSON.createObjectNode();
    if (model != null && !model.isBlank()) {
      body.put("model", model);
    }
    body.put("query", query);
    ArrayNode texts = body.putArray(api == Api.TEI ? "texts" : "documents");
    segments.forEach(s -> texts.add(s.text()));
    if (api == Api.TEI) {
      body.put("truncate", true);
    }
    return body.toString();
  }

  /** Scores by segment from either shape of answer. */
  static Response<List<Double>> parse(String body, int count) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new RerankException("the rerank server's answer is not JSON: " + abbreviate(body));
    }
    JsonNode results = root != null && root.isArray() ? root : root == null ? null : root.get("results");
    if (results == null || !results.isArray()) {
      throw new RerankException("the rerank server's answer has no results: " + abbreviate(body));
    }
    Double[] scores = new Double[count];
    for (JsonNode r : results) {
      JsonNode index = r.get("index");
      JsonNode score = r.has("relevance_score") ? r.get("relevance_score") : r.get("score");
      if (index == null || !index.canConvertToInt() || score == null || !score.isNumber()) {
        throw new RerankException("the rerank server's answer has a result without index and score: " + abbreviate(r.toString()));
      }
      int i = index.asInt();
      if (i < 0 || i >= count || scores[i] != null) {
        throw new RerankException("the rerank server's answer names document " + i + " out of range or twice ("
            + count + " sent)");
      }
      double value = score.asDouble();
      if (!Double.isFinite(value)) {
        throw new RerankException("the rerank server scored document " + i + " " + score.asText());
      }
      scores[i] = value;
    }
    long missing = Arrays.stream(scores).filter(Objects::isNull).count();
    if (missing > 0) {
      throw new RerankException("the rerank server scored " + (count - missing) + " of the " + count
          + " documents sent");
    }
    JsonNode usage = root.isObject() ? root.path("usage") : null;
    TokenUsage tokens = usage != null && usage.has("total_tokens") ? new TokenUsage(usage.get("total_tokens").asInt())
        : null;
    return Response.from(List.of(scores), tokens);
  }

  private static String abbreviate(String text) {
    String oneLine = text == null ? "" : text.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
  }
}
