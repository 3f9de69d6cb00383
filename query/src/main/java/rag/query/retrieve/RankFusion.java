package rag.query.retrieve;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rag.storage.model.Chunk;
import rag.storage.model.ScoredChunk;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): a chunk's score is the sum
 * over the rankings that hold it of {@code weight / (k + rank)}, rank 1-based, each ranking with its weight (1 and 1:
 * plain RRF). Ties keep the lexical order, then the vector order, so the result is deterministic.
 */
public final class RankFusion {
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
    if (!(lexicalWeight >= 0 && vectorWeight >= 0) || lexicalWeight + vectorWeight == 0
        || Double.isInfinite(lexicalWeight) || Double.isInfinite(vectorWeight)) {
      throw new IllegalArgumentException("illegal RRF weights " + lexicalWeight + " and " + vectorWeight
          + ": each at least 0, not both 0");
    }
    this.k = k;
    this.lexicalWeight = lexicalWeight;
    this.vectorWeight = vectorWeight;
  }

  /** Fuses the two rankings, best first. */
  public List<FusedChunk> fuse(List<ScoredChunk> lexical, List<ScoredChunk> vector) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    add(entries, lexical, true);
    add(entries, vector, false);
    List<FusedChunk> fused = new ArrayList<>(entries.size());
    for (Entry e : entries.values()) {
      fused.add(new FusedChunk(e.chunk, e.score, e.lexicalRank, e.vectorRank));
    }
    fused.sort(Comparator.comparingDouble(FusedChunk::score).reversed()); // stable: insertion order breaks ties
    return fused;
  }

  private void add(Map<String, Entry> entries, List<ScoredChunk> ranking, boolean lexical) {
    for (int i = 0; i < ranking.size(); i++) {
      Chunk chunk = ranking.get(i).chunk();
      Entry e = entries.computeIfAbsent(chunk.id(), id -> new Entry(chunk));
      int rank = i + 1;
      e.score += (lexical ? lexicalWeight : vectorWeight) / (k + rank);
      if (lexical) {
        e.lexicalRank = rank;
      } else {
        e.vectorRank = rank;
      }
    }
  }

  private static final class Entry {
    final Chunk chunk;
    double score;
    Integer lexicalRank;
    Integer vectorRank;

    Entry(Chunk chunk) {
      this.chunk = chunk;
    }
  }
}
