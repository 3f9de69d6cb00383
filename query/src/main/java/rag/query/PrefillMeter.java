package rag.query;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import rag.query.generate.Generation;
import rag.query.plan.PrefillSpeeds;
import rag.query.profile.ModelProfile;

/**
 * Measures each profile's prefill speed from the answers its server gives: prompt tokens (the server's count, else the
 * plan's) over the time to the first token. Only prompts of at least {@value #MIN_PROMPT_TOKENS} tokens count, where
 * prefill outweighs the request's fixed costs; the largest prompt seen gives the measurement, since its fixed costs
 * weigh least. Kept in memory, per profile and model.
 */
public final class PrefillMeter implements PrefillSpeeds {
  static final int MIN_PROMPT_TOKENS = 1024;

  /** A measurement: the speed, and the prompt it was measured on. */
  public record Measurement(double tokensPerSecond, long promptTokens, Duration timeToFirstToken) {}

  private final Map<String, Measurement> measured = new ConcurrentHashMap<>();

  /** Takes a generation's timing into account. */
  public void record(ModelProfile profile, long planPromptTokens, Generation generation) {
    long prompt = generation.promptTokens() != null ? generation.promptTokens() : planPromptTokens;
    Duration ttft = generation.timeToFirstToken();
    if (!profile.hasModel() || prompt < MIN_PROMPT_TOKENS || ttft == null || ttft.isZero() || ttft.isNegative()) {
      return;
    }
    Measurement m = new Measurement(prompt / (ttft.toNanos() / 1e9), prompt, ttft);
    measured.merge(key(profile), m, (old, now) -> now.promptTokens() >= old.promptTokens() ? now : old);
  }

  /** The measurement for the profile's model, if any. */
  public java.util.Optional<Measurement> measurement(ModelProfile profile) {
    return java.util.Optional.ofNullable(measured.get(key(profile)));
  }

  @Override
  public OptionalDouble measured(ModelProfile profile) {
    Measurement m = measured.get(key(profile));
    return m == null ? OptionalDouble.empty() : OptionalDouble.of(m.tokensPerSecond());
  }

  private static String key(ModelProfile profile) {
    return profile.name() + '\u0000' + profile.model() + '\u0000' + profile.baseUrl();
  }
}
