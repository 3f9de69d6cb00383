package rag.query.generate;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a model is served and how to ask it.
 *
 * @param baseUrl the OpenAI-compatible API root, e.g. {@code http://host:8000/v1}
 * @param model the model name the server knows, sent as {@code model}
 * @param apiKey sent as {@code Authorization: Bearer}; may be null; never logged, not in {@link #toString()}
 * @param timeout the deadline for a whole answer, from the request to the last token
 * @param maxAnswerTokens sent as {@code max_tokens}
 * @param temperature sent when not null, in 0..2
 * @param stallTimeout the longest the answer stream may go quiet once the first answer token has come
 *     (before it, the prompt is being prefilled, which only {@code timeout} bounds); null for no limit
 */
public record ModelEndpoint(String baseUrl, String model, String apiKey, Duration timeout, int maxAnswerTokens,
    Double temperature, Duration stallTimeout) {

  /** An endpoint whose answers only the overall {@code timeout} bounds. */
  public ModelEndpoint(String baseUrl, String model, String apiKey, Duration timeout, int maxAnswerTokens,
      Double temperature) {
    this(baseUrl, model, apiKey, timeout, maxAnswerTokens, temperature, null);
  }

  public ModelEndpoint {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(timeout, "timeout");
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    String scheme = URI.create(baseUrl).getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("illegal model base URL '" + baseUrl + "', must be an http or https URL");
    }
    if (model.isBlank()) {
      throw new IllegalArgumentException("illegal model name '" + model + "', must not be blank");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("illegal model timeout " + timeout + ", must be positive");
    }
    if (stallTimeout != null && (stallTimeout.isNegative() || stallTimeout.isZero())) {
      throw new IllegalArgumentException("illegal model stall timeout " + stallTimeout + ", must be positive");
    }
    if (maxAnswerTokens < 1) {
      throw new IllegalArgumentException("illegal maxAnswerTokens " + maxAnswerTokens + ", must be at least 1");
    }
    if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
      throw new IllegalArgumentException("illegal temperature " + temperature + ", must be in 0..2");
    }
  }

  /** The server's root, without a trailing {@code /v1}: where vLLM and llama.cpp serve {@code /tokenize}. */
  public String serverRoot() {
    return baseUrl.endsWith("/v1") ? baseUrl.substring(0, baseUrl.length() - "/v1".length()) : baseUrl;
  }

  /** What error messages and logs say about the endpoint: its URL and model, never the key. */
  String describe() {
    return "model server " + baseUrl + " (model " + model + ")";
  }

  @Override
  public String toString() {
    return "ModelEndpoint[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + (apiKey == null ? "<none>" : "****")
        + ", timeout=" + timeout + ", stallTimeout=" + stallTimeout + ", maxAnswerTokens=" + maxAnswerTokens
        + ", temperature=" + temperature + "]";
  }
}
