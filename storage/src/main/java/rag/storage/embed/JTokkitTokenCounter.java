package rag.storage.embed;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * BPE token counts with JTokkit. The registry is built once; the encodings are thread-safe.
 *
 * <p>cl100k and o200k counts are remembered by segment. A text is cut where their pre-tokenizers always cut: before
 * a space that follows a visible ASCII character and precedes an ASCII letter (the space starts the next word's
 * pre-token; no pre-token runs from a non-space across a space), and between a line feed and an ASCII letter (a
 * run of white space ending in a line break is one pre-token, {@code \s*[\r\n]+}, whatever follows it). BPE never
 * merges across pre-tokens, so a text's count is the sum of its segments' counts, and a segment such as
 * {@code " cell,"} is encoded once however often it recurs: chunking counts each sentence and then each chunk made
 * of them, and the second count is all remembered segments. The older encodings (r50k, p50k) have no such rule for
 * line breaks ({@code "\n\n"} is one token at the end of a text, two before a letter) and are counted whole.
 * Exactness is checked against JTokkit's own count on real and random text ({@code JTokkitTokenCounterTest}).
 */
public final class JTokkitTokenCounter implements TokenCounter {
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  /** The remembered counts of the encodings whose pre-tokenizers cut as {@link #isCut} says, shared by instances. */
  private static final Map<EncodingType, Memory> SEGMENTS = Map.of(
      EncodingType.CL100K_BASE, new Memory(), EncodingType.O200K_BASE, new Memory());
  /** Bounds the memory of the remembered counts (about 100 bytes each): beyond it they are forgotten at once. */
  static final int MAX_REMEMBERED = 1 << 17;
  /** Longer segments (rare: long runs without a cut) are counted each time. */
  static final int MAX_SEGMENT_CHARS = 48;

  /**
   * Segment counts and how many were added since the last clearing: {@code ConcurrentHashMap.size()} sums counter
   * cells that the other parse workers are writing, and cost a fifth of the parse workers' time when checked at
   * each addition.
   */
  private static final class Memory {
    final Map<String, Integer> counts = new ConcurrentHashMap<>();
    final AtomicInteger added = new AtomicInteger();

    void put(String segment, int count) {
      if (added.incrementAndGet() > MAX_REMEMBERED) {
        counts.clear();
        added.set(1);
      }
      counts.put(segment, count);
    }
  }

  private final Encoding encoding;
  private final Memory remembered;

  public JTokkitTokenCounter(EncodingType type) {
    this.encoding = REGISTRY.getEncoding(type);
    this.remembered = SEGMENTS.get(type);
  }

  /**
   * Forgets every remembered count, of every encoding: for benchmarks whose repetitions ingest the same text and
   * should each start as a service meeting it for the first time would.
   */
  public static void forgetRemembered() {
    for (Memory memory : SEGMENTS.values()) {
      memory.counts.clear();
      memory.added.set(0);
    }
  }

  public static JTokkitTokenCounter cl100k() {
    return new JTokkitTokenCounter(EncodingType.CL100K_BASE);
  }

  @Override
  public int count(String text) {
    if (remembered == null) {
      return encoding.countTokensOrdinary(text);
    }
    int total = 0;
    int start = 0;
    int last = text.length() - 1;
    for (int i = 1; i < last; i++) {
      if (isCut(text, i)) {
        total += segment(text.substring(start, i));
        start = i;
      }
    }
    return total + segment(start == 0 ? text : text.substring(start));
  }

  /** Whether the cl100k and o200k pre-tokenizers cut {@code text} before index {@code at} (0 &lt; at &lt; length - 1). */
  static boolean isCut(String text, int at) {
    char c = text.charAt(at);
    if (c == ' ') {
      char before = text.charAt(at - 1);
      return before > ' ' && before < 0x7f && isAsciiLetter(text.charAt(at + 1));
    }
    return text.charAt(at - 1) == '\n' && isAsciiLetter(c);
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private int segment(String segment) {
    if (segment.length() > MAX_SEGMENT_CHARS) {
      return encoding.countTokensOrdinary(segment);
    }
    Integer known = remembered.counts.get(segment);
    if (known != null) {
      return known;
    }
    int count = encoding.countTokensOrdinary(segment);
    remembered.put(segment, count);
    return count;
  }

  /** How many segment counts this encoding remembers now. */
  int remembered() {
    return remembered == null ? 0 : remembered.counts.size();
  }

  @Override
  public String name() {
    return encoding.getName();
  }
}
