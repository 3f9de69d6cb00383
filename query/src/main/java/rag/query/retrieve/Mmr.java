package rag.query.retrieve;

import java.util.ArrayList;
import java.util.List;

/**
 * Maximal marginal relevance (Carbonell and Goldstein, SIGIR 1998) for packing: candidates are taken one at a time,
 * each time the one that maximizes {@code lambda * relevance - (1 - lambda) * (its greatest similarity to those
 * already taken)}, so that a prompt of limited size holds more different passages. Relevance is the candidate's score
 * scaled by the best score (0..1); similarity is the Jaccard similarity of the two chunks' word sets, which needs no
 * vectors. Lambda 1 keeps the order as it is.
 */
public final class Mmr {
  private final double lambda;

  public Mmr(double lambda) {
    if (!(lambda >= 0 && lambda <= 1)) {
      throw new IllegalArgumentException("illegal MMR lambda " + lambda + ", must be in 0..1");
    }
    this.lambda = lambda;
  }

  public double lambda() {
    return lambda;
  }

  /** Whether this reorders anything (lambda below 1). */
  public boolean active() {
    return lambda < 1;
  }

  /** The first {@code limit} candidates in MMR order, then the rest in their order. */
  public List<FusedChunk> reorder(List<FusedChunk> ranked, int limit) {
    if (!active() || ranked.size() < 3) {
      return ranked;
    }
    int n = Math.min(limit, ranked.size());
    double best = ranked.stream().mapToDouble(FusedChunk::score).max().orElse(1);
    List<long[]> words = new ArrayList<>(ranked.size());
    ranked.forEach(f -> words.add(NearDuplicates.words(f.chunk().text())));
    double[] maxSimilarity = new double[ranked.size()];
    boolean[] taken = new boolean[ranked.size()];
    List<FusedChunk> order = new ArrayList<>(ranked.size());
    for (int step = 0; step < n; step++) {
      int pick = -1;
      double pickValue = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < ranked.size(); i++) {
        if (taken[i]) {
          continue;
        }
        double relevance = best > 0 ? ranked.get(i).score() / best : 0;
        double value = lambda * relevance - (1 - lambda) * maxSimilarity[i];
        if (value > pickValue) { // strict: ties keep the given order
          pick = i;
          pickValue = value;
        }
      }
      taken[pick] = true;
      order.add(ranked.get(pick));
      for (int i = 0; i < ranked.size(); i++) {
        if (!taken[i]) {
          maxSimilarity[i] = Math.max(maxSimilarity[i], NearDuplicates.jaccard(words.get(i), words.get(pick)));
        }
      }
    }
    for (int i = 0; i < ranked.size(); i++) {
      if (!taken[i]) {
        order.add(ranked.get(i));
      }
    }
    return order;
  }
}
