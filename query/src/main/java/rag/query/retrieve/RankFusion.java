package rag.query.retrieve;

import java.util.List;
import rag.storage.model.ScoredChunk;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): a chunk's score is the sum
 * over the rankings that hold it of {@code weight / (k + rank)}, rank 1-based, each ranking with its weight (1 and 1:
 * plain RRF). Ties keep the lexical order, then the vector order, so the result is deterministic.
 */
public final class RankFusion implements Fusion {
  private final int k;
  private final double lexicalWeight;
  private final double vectorWeight;

  public RankFusion(int k) {
    this(k, 1, 1);
  }

  /** Weighted RRF: a weight of 2 counts a ranking's ranks twice as much; 0 leaves it out of the scores. */
  public RankFusion(int k, double lexicalWeight, double vectorWeight) {
    if (k < 1) {
      throw new IllegalArgumentException("illegal RRF k " + k + ", must be >= 1");
    }
    new Weights(lexicalWeight, vectorWeight); // checks them
    this.k = k;
    this.lexicalWeight = lexicalWeight;
    this.vectorWeight = vectorWeight;
  }

  /** Fuses the two rankings, best first. */
  @Override
  public List<FusedChunk> fuse(List<ScoredChunk> lexical, List<ScoredChunk> vector) {
    FusedRankings rankings = new FusedRankings();
    rankings.add(lexical, true, i -> lexicalWeight / (k + i + 1));
    rankings.add(vector, false, i -> vectorWeight / (k + i + 1));
    return rankings.sorted();
  }
}
