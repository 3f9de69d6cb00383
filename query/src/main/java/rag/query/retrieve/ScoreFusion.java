package rag.query.retrieve;

import java.util.List;
import java.util.Objects;
import rag.storage.model.ScoredChunk;

/**
 * Score-based fusion (the convex combination of Bruch, Gai and Ingber, "An Analysis of Fusion Functions for Hybrid
 * Retrieval", TOIS 2023): each list's scores are scaled to 0..1 by its own minimum and maximum (min-max), and a chunk
 * scores the weighted sum of its scaled scores over the lists that hold it (0 where a list does not). Unlike rank
 * fusion it keeps how far apart the scores are, so a kNN hit far above the rest counts for more than one just above.
 * A list whose scores are all equal scales them to 1. Ties keep the lexical order, then the vector order.
 */
public final class ScoreFusion implements Fusion {
  private final Weights weights;

  public ScoreFusion(Weights weights) {
    this.weights = Objects.requireNonNull(weights, "weights");
  }

  @Override
  public List<FusedChunk> fuse(List<ScoredChunk> lexical, List<ScoredChunk> vector) {
    FusedRankings rankings = new FusedRankings();
    add(rankings, lexical, true);
    add(rankings, vector, false);
    return rankings.sorted();
  }

  private void add(FusedRankings rankings, List<ScoredChunk> ranking, boolean lexical) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (ScoredChunk s : ranking) {
      min = Math.min(min, s.score());
      max = Math.max(max, s.score());
    }
    double weight = lexical ? weights.lexical() : weights.vector();
    double low = min;
    double range = max - min;
    rankings.add(ranking, lexical, i -> weight * (range > 0 ? (ranking.get(i).score() - low) / range : 1));
  }
}
