package rag.storage.embed;

import java.net.URI;
import java.time.Duration;

/**
 * Where and how to reach an OpenAI-compatible {@code /v1/embeddings} server (vLLM, Ollama, TEI, OpenAI).
 *
 * @param baseUrl the API root that {@code /embeddings} is appended to, e.g. {@code http://localhost:8000/v1}
 * @param model the model name the server expects in the request
 * @param apiKey sent as {@code Authorization: Bearer}; null or blank for servers without authentication.
 *     Never printed: {@link #toString()} masks it
 * @param dimension the expected vector length; null to ask the server once, with a probe text, when the
 *     embedder is built. It is checked against every answer, not sent to the server
 * @param queryPrefix put before questions only (not documents), e.g. {@code "query: "} for e5 models; null means none
 * @param timeout for connecting and, separately, for the whole answer of one request
 * @param maxBatchSize the most texts in one request; larger lists are split into several requests
 * @param maxRetries how often a request is repeated after a timeout, a refused connection or an HTTP 5xx or 429
 *     (with back-off from 0.5 s); 401, 403 and other 4xx are never repeated
 */
public record OpenAiEmbeddingSettings(String baseUrl, String model, String apiKey, Integer dimension,
    String queryPrefix, Duration timeout, int maxBatchSize, int maxRetries) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_BATCH_SIZE = 64;
  public static final int DEFAULT_MAX_RETRIES = 2;

  public OpenAiEmbeddingSettings {
    baseUrl = checkedBaseUrl(baseUrl);
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("illegal embedding model name '" + model + "', must not be blank");
    }
    apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
    if (dimension != null && (dimension < 1 || dimension > 65_536)) {
      throw new IllegalArgumentException("illegal embedding dimension " + dimension + ", must be in 1..65536 or absent");
    }
    queryPrefix = queryPrefix == null ? "" : queryPrefix;
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("illegal embedding timeout " + timeout + ", must be positive");
    }
    if (maxBatchSize < 1 || maxBatchSize > 2048) {
      throw new IllegalArgumentException("illegal embedding batch size " + maxBatchSize + ", must be in 1..2048");
    }
    if (maxRetries < 0 || maxRetries > 10) {
      throw new IllegalArgumentException("illegal embedding retry count " + maxRetries + ", must be in 0..10");
    }
  }

  /** No API key, dimension discovered, no query prefix, 60 s timeout, batches of 64, 2 retries. */
  public static OpenAiEmbeddingSettings of(String baseUrl, String model) {
    return new OpenAiEmbeddingSettings(baseUrl, model, null, null, "", DEFAULT_TIMEOUT, DEFAULT_MAX_BATCH_SIZE,
        DEFAULT_MAX_RETRIES);
  }

  public OpenAiEmbeddingSettings withApiKey(String key) {
    return new OpenAiEmbeddingSettings(baseUrl, model, key, dimension, queryPrefix, timeout, maxBatchSize, maxRetries);
  }

  public OpenAiEmbeddingSettings withDimension(Integer d) {
    return new OpenAiEmbeddingSettings(baseUrl, model, apiKey, d, queryPrefix, timeout, maxBatchSize, maxRetries);
  }

  public OpenAiEmbeddingSettings withQueryPrefix(String prefix) {
    return new OpenAiEmbeddingSettings(baseUrl, model, apiKey, dimension, prefix, timeout, maxBatchSize, maxRetries);
  }

  public OpenAiEmbeddingSettings withTimeout(Duration t) {
    return new OpenAiEmbeddingSettings(baseUrl, model, apiKey, dimension, queryPrefix, t, maxBatchSize, maxRetries);
  }

  public OpenAiEmbeddingSettings withMaxBatchSize(int size) {
    return new OpenAiEmbeddingSettings(baseUrl, model, apiKey, dimension, queryPrefix, timeout, size, maxRetries);
  }

  public OpenAiEmbeddingSettings withMaxRetries(int retries) {
    return new OpenAiEmbeddingSettings(baseUrl, model, apiKey, dimension, queryPrefix, timeout, maxBatchSize, retries);
  }

  @Override
  public String toString() {
    return "OpenAiEmbeddingSettings[baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
        + (apiKey == null ? "none" : "***") + ", dimension=" + (dimension == null ? "discover" : dimension)
        + ", queryPrefix='" + queryPrefix + "', timeout=" + timeout + ", maxBatchSize=" + maxBatchSize
        + ", maxRetries=" + maxRetries + "]";
  }

  private static String checkedBaseUrl(String url) {
    String problem = "illegal embedding server base URL '" + url + "', must be an http(s) URL such as"
        + " http://localhost:8000/v1";
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(problem);
    }
    String trimmed = url.strip().replaceAll("/+$", "");
    URI uri;
    try {
      uri = URI.create(trimmed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(problem, e);
    }
    if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(problem);
    }
    if (uri.getUserInfo() != null) {
      // the URL appears in error messages; a password in it would leak there
      throw new IllegalArgumentException("illegal embedding server base URL: it contains credentials;"
          + " give the key as the API key instead");
    }
    return trimmed;
  }
}
