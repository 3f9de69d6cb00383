package rag.storage.model;

/**
 * A collection with the totals of its published documents, and the vector generation its kNN searches
 * ({@code vectorGeneration}; null until one of its documents has vectors).
 */
public record CollectionStats(String name, long documentCount, long chunkCount, long tokenCount,
    Integer vectorGeneration) {

  /** A collection whose documents have no vectors yet. */
  public CollectionStats(String name, long documentCount, long chunkCount, long tokenCount) {
    this(name, documentCount, chunkCount, tokenCount, null);
  }
}
