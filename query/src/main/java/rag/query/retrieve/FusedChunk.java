package rag.query.retrieve;

import rag.storage.model.Chunk;

/**
 * A chunk after rank fusion: its fused score and its 1-based rank in each retriever's list (null
 * when that retriever did not return it, e.g. no vector yet), and the reranker's relevance score when a reranker
 * ordered it (null otherwise).
 */
public record FusedChunk(Chunk chunk, double score, Integer lexicalRank, Integer vectorRank, Double rerankScore) {
  public FusedChunk(Chunk chunk, double score, Integer lexicalRank, Integer vectorRank) {
    this(chunk, score, lexicalRank, vectorRank, null);
  }

  /** This chunk with the reranker's score. */
  public FusedChunk reranked(double relevance) {
    return new FusedChunk(chunk, score, lexicalRank, vectorRank, relevance);
  }
}
