package rag.query.retrieve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Drops chunks whose words mostly repeat a better-ranked chunk's (the same passage ingested twice,
 * boilerplate): Jaccard similarity of word 3-shingles at or above the threshold. Chunks of the same
 * document are never compared (their overlap is by design; neighbours are merged instead).
 *
 * <p>Every candidate is compared with every chunk kept before it, so shingles are kept as sorted
 * 64-bit hashes and intersected by a merge: at 200 distinct candidates that is about 20,000
 * comparisons per question (with sets of strings they took most of a query's time).
 */
public final class NearDuplicates {
  private static final Pattern WORD_BREAK = Pattern.compile("[^\\p{L}\\p{N}]+");

  private final double threshold;

  public NearDuplicates(double threshold) {
    if (threshold <= 0 || threshold > 1) {
      throw new IllegalArgumentException("illegal near-duplicate threshold " + threshold + ", must be in (0, 1]");
    }
    this.threshold = threshold;
  }

  /** The chunks in their order, without those too similar to an earlier one of another document. */
  public List<FusedChunk> filter(List<FusedChunk> ranked) {
    List<FusedChunk> kept = new ArrayList<>();
    List<long[]> keptShingles = new ArrayList<>();
    for (FusedChunk candidate : ranked) {
      long[] shingles = shingles(candidate.chunk().text());
      boolean duplicate = false;
      for (int i = 0; i < kept.size() && !duplicate; i++) {
        long[] other = keptShingles.get(i);
        // Jaccard is at most the smaller set's size over the larger's: skip pairs that cannot reach the threshold
        duplicate = !kept.get(i).chunk().documentId().equals(candidate.chunk().documentId())
            && Math.min(shingles.length, other.length) >= threshold * Math.max(shingles.length, other.length)
            && jaccard(shingles, other) >= threshold;
      }
      if (!duplicate) {
        kept.add(candidate);
        keptShingles.add(shingles);
      }
    }
    return kept;
  }

  /**
   * The text's distinct word 3-shingles (lower-cased letters and digits) as sorted 64-bit hashes; a text of fewer
   * than three words is one shingle.
   */
  static long[] shingles(String text) {
    long[] w = wordHashes(text);
    int n = w.length;
    if (n < 3) {
      long h = n;
      for (int i = 0; i < n; i++) {
        h = mix(h + w[i]);
      }
      return new long[] {h};
    }
    long[] s = new long[n - 2];
    for (int i = 0; i + 2 < n; i++) {
      s[i] = mix(mix(mix(w[i]) + w[i + 1]) + w[i + 2]);
    }
    return distinctSorted(s);
  }

  /** The text's distinct words (lower-cased letters and digits) as sorted 64-bit hashes, for {@link #jaccard}. */
  static long[] words(String text) {
    long[] w = wordHashes(text);
    return w.length == 0 ? w : distinctSorted(w);
  }

  private static long[] wordHashes(String text) {
    String[] words = WORD_BREAK.split(text.toLowerCase(Locale.ROOT));
    long[] w = new long[words.length];
    int n = 0;
    for (String word : words) {
      if (!word.isEmpty()) {
        w[n++] = hash(word);
      }
    }
    return Arrays.copyOf(w, n);
  }

  private static long[] distinctSorted(long[] s) {
    Arrays.sort(s);
    int distinct = 1;
    for (int i = 1; i < s.length; i++) {
      if (s[i] != s[distinct - 1]) {
        s[distinct++] = s[i];
      }
    }
    return Arrays.copyOf(s, distinct);
  }

  /** Jaccard similarity of two sorted sets of distinct hashes. */
  static double jaccard(long[] a, long[] b) {
    int common = 0;
    for (int i = 0, j = 0; i < a.length && j < b.length; ) {
      if (a[i] == b[j]) {
        common++;
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    int union = a.length + b.length - common;
    return union == 0 ? 0 : (double) common / union;
  }

  /** 64-bit FNV-1a of the word's chars. */
  private static long hash(String word) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < word.length(); i++) {
      h = (h ^ word.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  /** MurmurHash3's 64-bit finalizer. */
  private static long mix(long h) {
    h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
    h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }
}
