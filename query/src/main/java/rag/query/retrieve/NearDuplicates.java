package rag.query.retrieve;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Drops chunks whose words mostly repeat a better-ranked chunk's (the same passage ingested twice,
 * boilerplate): Jaccard similarity of word 3-shingles at or above the threshold. Chunks of the same
 * document are never compared (their overlap is by design; neighbours are merged instead).
 */
public final class NearDuplicates {
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
    List<Set<String>> keptShingles = new ArrayList<>();
    for (FusedChunk candidate : ranked) {
      Set<String> shingles = shingles(candidate.chunk().text());
      boolean duplicate = false;
      for (int i = 0; i < kept.size() && !duplicate; i++) {
        duplicate = !kept.get(i).chunk().documentId().equals(candidate.chunk().documentId())
            && jaccard(shingles, keptShingles.get(i)) >= threshold;
      }
      if (!duplicate) {
        kept.add(candidate);
        keptShingles.add(shingles);
      }
    }
    return kept;
  }

  static Set<String> shingles(String text) {
    String[] words = text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
    List<String> w = new ArrayList<>(words.length);
    for (String word : words) {
      if (!word.isEmpty()) {
        w.add(word);
      }
    }
    Set<String> shingles = new HashSet<>();
    if (w.size() < 3) {
      shingles.add(String.join(" ", w));
      return shingles;
    }
    for (int i = 0; i + 3 <= w.size(); i++) {
      shingles.add(w.get(i) + ' ' + w.get(i + 1) + ' ' + w.get(i + 2));
    }
    return shingles;
  }

  static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 1;
    }
    int common = 0;
    for (String s : a.size() < b.size() ? a : b) {
      if ((a.size() < b.size() ? b : a).contains(s)) {
        common++;
      }
    }
    return (double) common / (a.size() + b.size() - common);
  }
}
