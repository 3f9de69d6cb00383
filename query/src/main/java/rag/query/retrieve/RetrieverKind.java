package rag.query.retrieve;

import java.util.Locale;
import rag.storage.problem.InvalidInputException;

/**
 * Which ranking a search uses. Wire names: {@code bm25}, {@code dense}, {@code hybrid}, {@code hybrid+rerank}.
 */
public enum RetrieverKind {
  /** Lucene BM25 over the chunks' text: finds a document as soon as it is searchable, before its vectors exist. */
  BM25,
  /**
   * Cosine kNN of the question's embedding: only chunks that have vectors, so a document still being embedded (or
   * whose embedding failed) is not found at all.
   */
  DENSE,
  /** Both, fused by reciprocal rank; a chunk without vectors is ranked by its BM25 rank alone. */
  HYBRID,
  /**
   * The hybrid ranking with its fused top N ordered by the configured reranker ({@code rag.rerank.*}); when the
   * reranker fails the fused order stands, with a warning.
   */
  HYBRID_RERANK;

  public String wireName() {
    return this == HYBRID_RERANK ? "hybrid+rerank" : name().toLowerCase(Locale.ROOT);
  }

  /** The kind with this wire name (case and surrounding blanks ignored); null gives {@link #HYBRID}. */
  public static RetrieverKind parse(String name) {
    if (name == null) {
      return HYBRID;
    }
    for (RetrieverKind kind : values()) {
      if (kind.wireName().equals(name.strip().toLowerCase(Locale.ROOT))) {
        return kind;
      }
    }
    throw new InvalidInputException("illegal retriever '" + name + "', must be bm25, dense, hybrid or hybrid+rerank");
  }
}
