package rag.eval.niah;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A model's effective length as NoLiMa defines it, from an end-to-end NIAH grid: the longest context length at which
 * the mean score, and that of every shorter length, stays at or above 85% of the score at the shortest length.
 *
 * @param tokens the effective length, in the grid's context-length tokens (the haystack's, as counted by the run)
 * @param atLeast every length of the grid passed: the model may do as well beyond it, untested
 * @param baseLength the shortest length of the grid, whose score is the base
 * @param baseScore the mean score at the shortest length
 * @param threshold 85% of the base score
 * @param firstFailing the shortest length under the threshold; null when none is
 */
public record EffectiveLength(long tokens, boolean atLeast, int baseLength, double baseScore, double threshold,
    Integer firstFailing) {
  public static final double SHARE_OF_BASE = 0.85;

  /**
   * The effective length of a grid's per-length scores; empty when the grid has fewer than two lengths or the model
   * scored nothing at the shortest one (no base to compare with).
   */
  public static Optional<EffectiveLength> of(NiahSummary summary) {
    List<NiahSummary.LengthAverage> lengths = new ArrayList<>(summary.byLength());
    lengths.sort(Comparator.comparingInt(NiahSummary.LengthAverage::contextLength));
    if (lengths.size() < 2 || lengths.get(0).meanScore() <= 0) {
      return Optional.empty();
    }
    double base = lengths.get(0).meanScore();
    double threshold = SHARE_OF_BASE * base;
    long effective = lengths.get(0).contextLength();
    for (NiahSummary.LengthAverage l : lengths) {
      if (l.meanScore() < threshold) {
        return Optional.of(new EffectiveLength(effective, false, lengths.get(0).contextLength(), base, threshold,
            l.contextLength()));
      }
      effective = l.contextLength();
    }
    return Optional.of(new EffectiveLength(effective, true, lengths.get(0).contextLength(), base, threshold, null));
  }
}
