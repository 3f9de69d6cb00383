package rag.storage.model;

import java.time.Instant;
import java.util.List;

/**
 * A collection being deleted. Readers see none of it already (its documents were unpublished and
 * moved under the tombstone {@code id} in the deleting transaction, and its name is free again);
 * {@code documentIds} lists its documents until everything kept about them outside the catalog is
 * removed and the deletion is completed.
 */
public record CollectionDeletion(String id, String collection, Instant deletedAt, List<String> documentIds) {
  public CollectionDeletion {
    documentIds = List.copyOf(documentIds);
  }
}
