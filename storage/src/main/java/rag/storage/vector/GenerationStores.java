package rag.storage.vector;

import java.util.Optional;

/** Where each {@link VectorGeneration}'s vectors are kept: a Lucene index folder, or a pgvector table. */
public interface GenerationStores {

  /**
   * The vectors of a store written before generations existed (one store for the whole archive), as the generation
   * they become: id 1, with the model and dimension the store recorded. Empty when there is no such store.
   */
  Optional<VectorGeneration> unversioned();

  /** Opens the generation's store, creating it when new (and taking over the {@link #unversioned} store as id 1). */
  VectorStore open(VectorGeneration generation);

  /** Deletes every vector of the generation for good; its store must be closed. Does nothing when there is none. */
  void drop(VectorGeneration generation);
}
