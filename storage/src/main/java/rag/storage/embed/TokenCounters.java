package rag.storage.embed;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The token counters a profile's {@code tokenizer} may name. {@code cl100k_base} is OpenAI's (JTokkit), the counts
 * stored with every chunk; {@code qwen3} is Qwen 3's own tokenizer (exact for that model family). Each is loaded once.
 */
public final class TokenCounters {
  public static final String CL100K = "cl100k_base";
  public static final String QWEN3 = "qwen3";

  private static final Map<String, Supplier<TokenCounter>> KNOWN = Map.of(
      CL100K, JTokkitTokenCounter::cl100k,
      QWEN3, HuggingFaceTokenCounter::qwen3);
  private static final Map<String, TokenCounter> LOADED = new ConcurrentHashMap<>();

  private TokenCounters() {}

  /** The names {@link #named} accepts, sorted. */
  public static List<String> names() {
    return KNOWN.keySet().stream().sorted().toList();
  }

  /** True when {@code name} (any case) is an exact tokenizer this service ships. */
  public static boolean isKnown(String name) {
    return name != null && KNOWN.containsKey(name.toLowerCase(Locale.ROOT));
  }

  /** The counter called {@code name} (any case); loads it on first use. */
  public static TokenCounter named(String name) {
    String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
    Supplier<TokenCounter> factory = KNOWN.get(key);
    if (factory == null) {
      throw new IllegalArgumentException("no tokenizer called '" + name + "' is packaged; known: " + names());
    }
    return LOADED.computeIfAbsent(key, k -> factory.get());
  }
}
