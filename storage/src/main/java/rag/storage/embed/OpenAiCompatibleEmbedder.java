package rag.storage.embed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import rag.storage.embed.EmbeddingException.Failure;

/**
 * Embeddings from a server speaking OpenAI's {@code POST /embeddings} (vLLM, Ollama, TEI, OpenAI), through
 * LangChain4j's {@link OpenAiEmbeddingModel} on the JDK HTTP client. Lists longer than the batch size go out
 * as several requests, one after the other; every answer is checked for its number of vectors and their
 * dimension. Thread-safe.
 */
public final class OpenAiCompatibleEmbedder implements Embedder {
  static final String DIMENSION_PROBE = "dimension probe";
  private static final int MAX_BODY_IN_MESSAGE = 300;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenAiEmbeddingSettings settings;
  private final OpenAiEmbeddingModel model;
  private final int dimension;

  /**
   * Builds the client; when {@code settings.dimension()} is absent it also embeds one probe text to learn
   * the dimension, and so throws {@link EmbeddingException} if the server cannot answer.
   */
  public OpenAiCompatibleEmbedder(OpenAiEmbeddingSettings settings) {
    this.settings = settings;
    this.model = new OpenAiEmbeddingModel.OpenAiEmbeddingModelBuilder()
        // HTTP/1.1: the JDK client's default h2c upgrade attempt is not understood by every Python server
        .httpClientBuilder(JdkHttpClient.builder().httpClientBuilder(
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)))
        .baseUrl(settings.baseUrl())
        .apiKey(settings.apiKey())
        .modelName(settings.model())
        .timeout(settings.timeout())
        .maxRetries(settings.maxRetries())
        .maxSegmentsPerBatch(settings.maxBatchSize())
        .logRequests(false)
        .logResponses(false)
        .build();
    this.dimension = settings.dimension() != null ? settings.dimension() : discoverDimension();
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null || texts.get(i).isBlank()) {
        throw new IllegalArgumentException("text " + i + " of " + texts.size()
            + " is null or blank; embedding servers reject empty input");
      }
    }
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (int from = 0; from < texts.size(); from += settings.maxBatchSize()) {
      vectors.addAll(request(texts.subList(from, Math.min(texts.size(), from + settings.maxBatchSize())), dimension));
    }
    return vectors;
  }

  @Override
  public float[] embedQuery(String question) {
    return embed(List.of(settings.queryPrefix() + question)).get(0);
  }

  @Override
  public int dimension() {
    return dimension;
  }

  /** {@code openai:} and the served model's name, so it never equals an in-process model's name. */
  @Override
  public String modelName() {
    return "openai:" + settings.model();
  }

  @Override
  public String toString() {
    return "OpenAiCompatibleEmbedder[" + settings.baseUrl() + ", model=" + settings.model() + ", dimension="
        + dimension + "]";
  }

  private int discoverDimension() {
    float[] probe = request(List.of(DIMENSION_PROBE), null).get(0);
    if (probe.length == 0) {
      throw new EmbeddingException(Failure.BAD_RESPONSE, where() + " returned an empty vector for a probe text");
    }
    return probe.length;
  }

  /** One HTTP request (plus LangChain4j's retries); {@code expectedDimension} null accepts any length. */
  private List<float[]> request(List<String> batch, Integer expectedDimension) {
    List<Embedding> embeddings;
    try {
      embeddings = model.embedAll(batch.stream().map(TextSegment::from).toList()).content();
    } catch (RuntimeException e) {
      throw translate(e);
    }
    if (embeddings.size() != batch.size()) {
      throw new EmbeddingException(Failure.BAD_RESPONSE,
          where() + " returned " + embeddings.size() + " vectors for " + batch.size() + " texts");
    }
    List<float[]> vectors = new ArrayList<>(batch.size());
    for (int i = 0; i < embeddings.size(); i++) {
      float[] v = embeddings.get(i).vector();
      if (expectedDimension != null && v.length != expectedDimension) {
        throw new EmbeddingException(Failure.BAD_RESPONSE, where() + " returned a vector of dimension " + v.length
            + " for text " + i + " of " + batch.size() + ", expected " + expectedDimension
            + (settings.dimension() == null ? " (found at start-up)" : " (configured)"));
      }
      vectors.add(v);
    }
    return vectors;
  }

  private EmbeddingException translate(RuntimeException e) {
    HttpException http = find(e, HttpException.class);
    if (http != null) {
      // no cause: the HTTP exception's message is the response body, which could echo the key
      int status = http.statusCode();
      boolean busy = status >= 500 || status == 429;
      Failure failure = status == 401 || status == 403 ? Failure.UNAUTHORIZED
          : busy ? Failure.SERVER_ERROR : Failure.REQUEST_REJECTED;
      String hint = failure == Failure.UNAUTHORIZED
          ? (settings.apiKey() == null ? " (no API key configured)" : " (the configured API key was refused)")
          : "";
      return new EmbeddingException(failure, where() + " answered HTTP " + status + hint + (busy ? attempts() : "")
          + ": " + excerpt(errorMessage(http.getMessage())));
    }
    if (find(e, HttpTimeoutException.class) != null || find(e, TimeoutException.class) != null) {
      return new EmbeddingException(Failure.TIMEOUT,
          where() + " did not answer within " + settings.timeout().toMillis() + " ms" + attempts(), e);
    }
    if (find(e, UnresolvedAddressException.class) != null) {
      return new EmbeddingException(Failure.UNREACHABLE, "cannot resolve the host of " + where(), e);
    }
    ConnectException refused = find(e, ConnectException.class);
    if (refused != null) {
      return new EmbeddingException(Failure.UNREACHABLE, "cannot connect to " + where() + attempts() + ": "
          + (refused.getMessage() == null ? "connection refused" : refused.getMessage()), e);
    }
    JsonProcessingException unreadable = find(e, JsonProcessingException.class);
    if (unreadable != null) {
      return new EmbeddingException(Failure.BAD_RESPONSE, where() + " answered with a body that is not an"
          + " embeddings response: " + excerpt(unreadable.getOriginalMessage()), e);
    }
    if (find(e, IOException.class) != null) {
      return new EmbeddingException(Failure.UNREACHABLE,
          "the connection to " + where() + " failed" + attempts() + ": " + rootMessage(e), e);
    }
    return new EmbeddingException(Failure.BAD_RESPONSE,
        "the request to " + where() + " failed: " + excerpt(rootMessage(e)), e);
  }

  private String where() {
    return "embedding server " + settings.baseUrl() + " (model " + settings.model() + ")";
  }

  private String attempts() {
    return settings.maxRetries() == 0 ? "" : " in " + (settings.maxRetries() + 1) + " attempts";
  }

  /**
   * The message inside an error body: OpenAI and newer vLLM send {@code {"error": {"message"}}}, TEI and Ollama
   * {@code {"error": "..."}}, older vLLM {@code {"message"}}; anything else is returned whole.
   */
  private static String errorMessage(String body) {
    try {
      JsonNode json = JSON.readTree(body);
      JsonNode error = json.path("error");
      JsonNode message = error.isObject() ? error.path("message") : error.isTextual() ? error : json.path("message");
      return message.isTextual() ? message.asText() : body;
    } catch (JsonProcessingException | RuntimeException notJson) {
      return body;
    }
  }

  private String excerpt(String text) {
    if (text == null || text.isBlank()) {
      return "(empty body)";
    }
    String oneLine = text.strip().replaceAll("\\s+", " ");
    if (settings.apiKey() != null) {
      oneLine = oneLine.replace(settings.apiKey(), "***");
    }
    return oneLine.length() <= MAX_BODY_IN_MESSAGE ? oneLine : oneLine.substring(0, MAX_BODY_IN_MESSAGE) + "...";
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
