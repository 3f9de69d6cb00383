package rag.query.retrieve;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import rag.storage.model.Chunk;
import rag.storage.model.ScoredChunk;

/** The bookkeeping of a fusion: each chunk's summed score and its 1-based rank in each list, in first-seen order. */
final class FusedRankings {
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /** Adds a ranking; {@code contribution} gives the score of the chunk at each 0-based index. */
  void add(List<ScoredChunk> ranking, boolean lexical, IntToDoubleFunction contribution) {
    for (int i = 0; i < ranking.size(); i++) {
      Chunk chunk = ranking.get(i).chunk();
      Entry e = entries.computeIfAbsent(chunk.id(), id -> new Entry(chunk));
      e.score += contribution.applyAsDouble(i);
      if (lexical) {
        e.lexicalRank = i + 1;
      } else {
        e.vectorRank = i + 1;
      }
    }
  }

  /** Best first; ties keep the order in which chunks were first seen (lexical, then vector). */
  List<FusedChunk> sorted() {
    List<FusedChunk> fused = new ArrayList<>(entries.size());
    for (Entry e : entries.values()) {
      fused.add(new FusedChunk(e.chunk, e.score, e.lexicalRank, e.vectorRank));
    }
    fused.sort(Comparator.comparingDouble(FusedChunk::score).reversed()); // stable
    return fused;
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
