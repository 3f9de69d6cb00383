package rag.storage.vector;

import java.util.Objects;

/**
 * Which vectors a collection's kNN uses: {@code searched}, the generation it searches (null while none of its documents
 * has had vectors), against {@code current}, the configured embedder's. When they differ the collection needs
 * re-indexing: questions are embedded by the current model and cannot be compared with its vectors, so it is
 * searched with BM25 alone until every document has vectors of the current model and the collection switches.
 */
public record CollectionVectors(String collection, VectorGeneration searched, VectorGeneration current) {
  public CollectionVectors {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(current, "current");
  }

  public boolean needsReindex() {
    return searched != null && searched.id() != current.id();
  }
}
