package rag.query.profile;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A model as deployed: where it is served (none: answers are extractive), its context window as
 * the server was started with, the tokens kept for the answer, its tokenizer family, an optional
 * prefill speed for latency estimates, and how many tokens retrieval may pack (often less than the
 * window, since quality and latency tend to peak earlier). {@code timeout} bounds a whole answer;
 * {@code stallTimeout} the pauses in its stream once the first token has come. {@code maxPrefillSeconds}, with a
 * prefill speed, keeps {@code auto} from stuffing a prompt whose estimated prefill takes longer.
 * {@code effectiveContext}: the longest context the model still answers well from (measured by NIAH or set by hand);
 * {@code auto} stuffs only prompts within it; {@code effectiveContextSource} says where it came from, in words (null:
 * set by hand in the profile's configuration).
 */
public record ModelProfile(String name, String baseUrl, String model, String apiKey, long contextWindow,
    int answerReserve, String tokenizer, Double prefillTokensPerSecond, Duration timeout, long retrievalBudget,
    Duration stallTimeout, Double maxPrefillSeconds, Long effectiveContext, String effectiveContextSource) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

  /** A profile with the default stall timeout. */
  public ModelProfile(String name, String baseUrl, String model, String apiKey, long contextWindow,
      int answerReserve, String tokenizer, Double prefillTokensPerSecond, Duration timeout, long retrievalBudget) {
    this(name, baseUrl, model, apiKey, contextWindow, answerReserve, tokenizer, prefillTokensPerSecond, timeout,
        retrievalBudget, null, null, null, null);
  }

  /** A profile without a prefill bound. */
  public ModelProfile(String name, String baseUrl, String model, String apiKey, long contextWindow,
      int answerReserve, String tokenizer, Double prefillTokensPerSecond, Duration timeout, long retrievalBudget,
      Duration stallTimeout) {
    this(name, baseUrl, model, apiKey, contextWindow, answerReserve, tokenizer, prefillTokensPerSecond, timeout,
        retrievalBudget, stallTimeout, null, null, null);
  }

  public ModelProfile {
    Objects.requireNonNull(name, "name");
    if (contextWindow < 256) {
      throw new IllegalArgumentException("profile " + name + ": context window " + contextWindow + " is below 256");
    }
    if (answerReserve < 1 || answerReserve >= contextWindow) {
      throw new IllegalArgumentException("profile " + name + ": answer reserve " + answerReserve
          + " must be positive and below the context window " + contextWindow);
    }
    if (retrievalBudget < 1) {
      throw new IllegalArgumentException("profile " + name + ": retrieval budget must be positive");
    }
    if (prefillTokensPerSecond != null && prefillTokensPerSecond <= 0) {
      throw new IllegalArgumentException("profile " + name + ": prefill speed must be positive");
    }
    if (effectiveContext != null && effectiveContext < 256) {
      throw new IllegalArgumentException("profile " + name + ": effective context " + effectiveContext
          + " is below 256");
    }
    if (maxPrefillSeconds != null && maxPrefillSeconds <= 0) {
      throw new IllegalArgumentException("profile " + name + ": max prefill seconds must be positive");
    }
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    stallTimeout = stallTimeout == null ? DEFAULT_STALL_TIMEOUT : stallTimeout;
    if (timeout.isNegative() || timeout.isZero() || stallTimeout.isNegative() || stallTimeout.isZero()) {
      throw new IllegalArgumentException("profile " + name + ": timeout " + timeout + " and stall timeout "
          + stallTimeout + " must be positive");
    }
    model = model == null ? name : model;
    baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl;
  }

  /** A profile called {@code name}, with the service's defaults for what is not set. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Named construction; {@link #build} validates once, as the canonical constructor does. */
  public static final class Builder {
    private final String name;
    private String baseUrl;
    private String model;
    private String apiKey;
    private long contextWindow = 262_144;
    private int answerReserve = 4096;
    private String tokenizer = "cl100k_base";
    private Double prefillTokensPerSecond;
    private Duration timeout;
    private long retrievalBudget = 32_768;
    private Duration stallTimeout;
    private Double maxPrefillSeconds;
    private Long effectiveContext;

    private Builder(String name) {
      this.name = name;
    }

    /** The OpenAI-compatible API root (with {@code /v1}); none: answers are extractive. */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    public Builder contextWindow(long contextWindow) {
      this.contextWindow = contextWindow;
      return this;
    }

    public Builder answerReserve(int answerReserve) {
      this.answerReserve = answerReserve;
      return this;
    }

    public Builder tokenizer(String tokenizer) {
      this.tokenizer = tokenizer;
      return this;
    }

    public Builder prefillTokensPerSecond(Double prefillTokensPerSecond) {
      this.prefillTokensPerSecond = prefillTokensPerSecond;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder retrievalBudget(long retrievalBudget) {
      this.retrievalBudget = retrievalBudget;
      return this;
    }

    public Builder stallTimeout(Duration stallTimeout) {
      this.stallTimeout = stallTimeout;
      return this;
    }

    /** The longest estimated prefill {@code auto} stuffs for (needs a prefill speed); none: no bound. */
    public Builder maxPrefillSeconds(Double maxPrefillSeconds) {
      this.maxPrefillSeconds = maxPrefillSeconds;
      return this;
    }

    /** The longest context the model answers well from; {@code auto} stuffs only within it. None: the window. */
    public Builder effectiveContext(Long effectiveContext) {
      this.effectiveContext = effectiveContext;
      return this;
    }

    public ModelProfile build() {
      return new ModelProfile(name, baseUrl, model, apiKey, contextWindow, answerReserve, tokenizer,
          prefillTokensPerSecond, timeout, retrievalBudget, stallTimeout, maxPrefillSeconds, effectiveContext, null);
    }
  }

  /** True when a model server is configured; otherwise answers are extractive. */
  public boolean hasModel() {
    return baseUrl != null;
  }

  /** This profile with another context window (what its server really serves). */
  public ModelProfile withContextWindow(long window) {
    return new ModelProfile(name, baseUrl, model, apiKey, window, answerReserve, tokenizer, prefillTokensPerSecond,
        timeout, retrievalBudget, stallTimeout, maxPrefillSeconds, effectiveContext, effectiveContextSource);
  }

  /**
   * This profile with a measured effective context, unless one is set by hand (the operator's word wins).
   *
   * @param source where it was measured, in words (e.g. "measured by NIAH run 20261204-...")
   */
  public ModelProfile withMeasuredEffectiveContext(long tokens, String source) {
    if (effectiveContext != null) {
      return this;
    }
    return new ModelProfile(name, baseUrl, model, apiKey, contextWindow, answerReserve, tokenizer,
        prefillTokensPerSecond, timeout, retrievalBudget, stallTimeout, maxPrefillSeconds, Math.max(256, tokens),
        source);
  }

  /** This profile with a measured prefill speed, unless one is set by hand. */
  public ModelProfile withMeasuredPrefill(double tokensPerSecond) {
    if (prefillTokensPerSecond != null) {
      return this;
    }
    return new ModelProfile(name, baseUrl, model, apiKey, contextWindow, answerReserve, tokenizer, tokensPerSecond,
        timeout, retrievalBudget, stallTimeout, maxPrefillSeconds, effectiveContext, effectiveContextSource);
  }

  /** Where the effective context came from, in words: the measurement, or the profile's configuration. */
  public String describeEffectiveContext() {
    return effectiveContextSource != null ? effectiveContextSource : "set for profile " + name;
  }

  /** Seconds the server is expected to take to prefill {@code promptTokens}, when its prefill speed is known. */
  public OptionalDouble prefillSeconds(long promptTokens) {
    return prefillTokensPerSecond == null ? OptionalDouble.empty()
        : OptionalDouble.of(promptTokens / prefillTokensPerSecond);
  }

  /**
   * The most prompt tokens {@code auto} stuffs: the prompt window, or the effective context when that is smaller
   * (a model's answers degrade past it, whatever its window).
   */
  public long stuffingLimit() {
    return effectiveContext == null ? promptWindow() : Math.min(promptWindow(), effectiveContext);
  }

  /** True when the effective context, not the window, bounds what {@code auto} stuffs. */
  public boolean effectiveContextBinds() {
    return effectiveContext != null && effectiveContext < promptWindow();
  }

  /** Tokens the prompt may use: the window minus the answer reserve. */
  public long promptWindow() {
    return contextWindow - answerReserve;
  }

  @Override
  public String toString() {
    return "ModelProfile[name=" + name + ", baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
        + (apiKey == null ? "none" : "***") + ", contextWindow=" + contextWindow + ", answerReserve=" + answerReserve
        + ", tokenizer=" + tokenizer + ", prefillTokensPerSecond=" + prefillTokensPerSecond + ", timeout=" + timeout
        + ", stallTimeout=" + stallTimeout + ", retrievalBudget=" + retrievalBudget + ", maxPrefillSeconds="
        + maxPrefillSeconds + ", effectiveContext=" + effectiveContext
        + (effectiveContextSource == null ? "" : " (" + effectiveContextSource + ")") + "]";
  }
}
