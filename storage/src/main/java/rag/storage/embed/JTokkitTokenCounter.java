package rag.storage.embed;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * BPE token counts with JTokkit. The registry is built once; the encodings are thread-safe.
 *
 * <p>cl100k and o200k counts are remembered by segment. A text is cut where their pre-tokenizers always cut: before
 * a space that follows a visible ASCII character and precedes an ASCII letter (the space starts the next word's
 * pre-token; no pre-token runs from a non-space across a space), between a line feed and an ASCII letter (a run of
 * white space ending in a line break is one pre-token, {@code \s*[\r\n]+}, whatever follows it), and between an
 * ASCII letter or digit and a following ASCII punctuation mark other than the apostrophe (a pre-token holding a letter
 * or digit ends with its run of letters, digits or a contraction; o200k's contractions start with the apostrophe).
 * BPE never merges across pre-tokens, so a text's count is the sum of its segments' counts, and a segment such as
 * {@code " cell"} is encoded once however often it recurs: chunking counts each sentence and then each chunk made of
 * them, and the second count is all remembered segments. The older encodings (r50k, p50k) have no such rule for line
 * breaks ({@code "\n\n"} is one token at the end of a text, two before a letter) and are counted whole. Exactness is
 * checked against JTokkit's own count on real and random text ({@code JTokkitTokenCounterTest}).
 *
 * <p>The remembered counts are an open-addressing table of {@code long}s, each a segment's 56-bit hash and its count
 * (a segment of at most {@link #MAX_SEGMENT_CHARS} characters has fewer than 256 tokens): a lookup hashes the
 * characters as the cut scan passes them and reads one array slot, where a map of strings cost a substring, its hash
 * and three dependent memory reads (half the chunkers' time). The hash is seeded at random per process, so no text
 * can be made to collide on purpose; two different segments share a 56-bit hash by chance with a probability of about
 * 2^-56 per lookup.
 */
public final class JTokkitTokenCounter implements TokenCounter {
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  /** The remembered counts of the encodings whose pre-tokenizers cut as {@link #isCut} says, shared by instances. */
  private static final Map<EncodingType, Memory> SEGMENTS = Map.of(
      EncodingType.CL100K_BASE, new Memory(), EncodingType.O200K_BASE, new Memory());
  /** Bounds the memory of the remembered counts: beyond it they are forgotten at once. */
  static final int MAX_REMEMBERED = 1 << 17;
  /** Longer segments (rare: long runs without a cut) are counted each time. */
  static final int MAX_SEGMENT_CHARS = 48;
  private static final long SEED = new SecureRandom().nextLong();

  /**
   * Segment counts: slots of hash (high 56 bits, never all zero) and count (low 8 bits), zero when empty, twice as many
   * as {@link #MAX_REMEMBERED}; a full table is replaced by an empty one. Slots are read and set with opaque access,
   * so a reader sees a whole slot or none; two threads adding to one slot at once keep one of the two.
   */
  private static final class Memory {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int PROBES = 8;
    volatile long[] slots = new long[2 * MAX_REMEMBERED];
    final AtomicInteger added = new AtomicInteger();

    /** The count remembered for a segment of this hash, or -1. */
    int get(long key) {
      long[] table = slots;
      int mask = table.length - 1;
      for (int i = 0, at = (int) (key >>> 8) & mask; i < PROBES; i++, at = (at + 1) & mask) {
        long slot = (long) SLOT.getOpaque(table, at);
        if (slot == 0) {
          return -1;
        }
        if ((slot & ~0xFFL) == key) {
          return (int) (slot & 0xFF);
        }
      }
      return -1;
    }

    void put(long key, int count) {
      if (added.incrementAndGet() > MAX_REMEMBERED) {
        clear();
        added.set(1);
      }
      long[] table = slots;
      int mask = table.length - 1;
      for (int i = 0, at = (int) (key >>> 8) & mask; i < PROBES; i++, at = (at + 1) & mask) {
        if ((long) SLOT.getOpaque(table, at) == 0 && SLOT.compareAndSet(table, at, 0L, key | count)) {
          return;
        }
      }
    }

    void clear() {
      slots = new long[2 * MAX_REMEMBERED];
      added.set(0);
    }

    int size() {
      int n = 0;
      for (long slot : slots) {
        n += slot == 0 ? 0 : 1;
      }
      return n;
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
      memory.clear();
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
    long hash = SEED;
    for (int i = 0; i <= last; i++) {
      if (i > 0 && i < last && isCut(text, i)) {
        total += segment(text, start, i, hash);
        start = i;
        hash = SEED;
      }
      hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
    }
    return last < 0 ? 0 : total + segment(text, start, text.length(), hash);
  }

  /** Whether the cl100k and o200k pre-tokenizers cut {@code text} before index {@code at} (0 &lt; at &lt; length - 1). */
  static boolean isCut(String text, int at) {
    char c = text.charAt(at);
    char before = text.charAt(at - 1);
    if (c == ' ') {
      return before > ' ' && before < 0x7f && isAsciiLetter(text.charAt(at + 1));
    }
    if (isAsciiPunctuation(c)) {
      return c != '\'' && (isAsciiLetter(before) || (before >= '0' && before <= '9'));
    }
    return before == '\n' && isAsciiLetter(c);
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAsciiPunctuation(char c) {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
  }

  private int segment(String text, int start, int end, long hash) {
    if (end - start > MAX_SEGMENT_CHARS) {
      return encoding.countTokensOrdinary(text.substring(start, end));
    }
    long key = mix(hash ^ (end - start)) & ~0xFFL;
    if (key == 0) {
      key = 0x100;
    }
    int known = remembered.get(key);
    if (known >= 0) {
      return known;
    }
    int count = encoding.countTokensOrdinary(start == 0 && end == text.length() ? text : text.substring(start, end));
    if (count <= 0xFF) { // always, for segments this short; a larger count would not fit its slot
      remembered.put(key, count);
    }
    return count;
  }

  /** MurmurHash3's 64-bit finalizer: every bit of the FNV-1a hash of the characters reaches the slot index. */
  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }

  /** How many segment counts this encoding remembers now. */
  int remembered() {
    return remembered == null ? 0 : remembered.size();
  }

  @Override
  public String name() {
    return encoding.getName();
  }
}
