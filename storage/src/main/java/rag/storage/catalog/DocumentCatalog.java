package rag.storage.catalog;

import java.time.Instant;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import rag.storage.jobs.JobFile;
import rag.storage.model.Chunk;
import rag.storage.model.CollectionDeletion;
import rag.storage.model.CollectionStats;
import rag.storage.model.Document;
import rag.storage.model.DocumentStatus;
import rag.storage.model.Provenance;
import rag.storage.vector.VectorGeneration;

/**
 * The system of record (its reads are {@link CatalogReader}'s): documents and the text of their chunks. A document version is first
 * {@link #stage staged} (invisible), then {@link #publish published} in one transaction that also
 * removes the version it replaces. Every read method sees published versions only, unless it says
 * otherwise. It also records which {@link VectorGeneration} (embedding model) each collection searches and each
 * version has vectors in, so that a re-index can fill a new generation and switch a collection over at once.
 */
public interface DocumentCatalog extends CatalogReader, Closeable {

  /** A consistent copy of the embedded catalog database, taken while it is in use (backups). */
  void copyTo(Path file);

  /** Creates the collection if it does not exist; returns true when it was created. */
  boolean ensureCollection(String name);

  /** {@link #stage(Document, List, JobFile)} for a version no ingest file waits for (tools, tests). */
  default Document stage(Document draft, List<Chunk> chunks) {
    return stage(draft, chunks, null);
  }

  /**
   * Stores a new, unpublished version of the document at {@code draft.sourcePath()} in its
   * collection (created if needed): the same document id as an existing document at that path, the
   * next version number. Returns the staged document (id, version, token and chunk counts filled in).
   *
   * @param writtenFor the ingest job file this version comes from, or null; when that file is final
   *     already (cancelled by {@link #deleteCollection}), nothing is stored and
   *     {@link CollectionDeletedException} is thrown, so that a deleted collection is not created again
   */
  Document stage(Document draft, List<Chunk> chunks, JobFile writtenFor);

  /** The arguments of one {@link #stage(Document, List, JobFile)}. */
  record Staging(Document draft, List<Chunk> chunks, JobFile writtenFor) {}

  /**
   * Stages several versions in one transaction, each as {@link #stage(Document, List, JobFile)} does, in the given
   * order; all or none: when one cannot be staged (its file cancelled, say), nothing is and the exception is thrown.
   * The drafts must be of distinct documents.
   */
  List<Document> stageAll(List<Staging> stagings);

  /**
   * Publishes a staged version and removes the previously published one, in one transaction.
   * Returns the version it replaced, if any. Throws {@link CollectionDeletedException} when the
   * version's collection was deleted since it was staged.
   */
  default Optional<Integer> publish(String documentId, int version) {
    return publish(documentId, version, true);
  }

  /**
   * {@link #publish(String, int)}; {@code indexed}: whether the version's chunks are in the search index already.
   * With a {@link #keepsSearchOutbox() search outbox}, the transaction also records what the search index still
   * needs: the version's chunks when not indexed, the removal of the versions before it when there were any.
   */
  Optional<Integer> publish(String documentId, int version, boolean indexed);

  /**
   * Publishes several staged versions of distinct documents in one transaction, each as {@link #publish} does; all
   * or none. Returns what each replaced, in the given order.
   */
  default List<Optional<Integer>> publishAll(List<Document> staged) {
    return publishAll(staged, true);
  }

  /** {@link #publishAll(List)}, saying whether the versions' chunks are in the search index already. */
  List<Optional<Integer>> publishAll(List<Document> staged, boolean indexed);

  /** Removes an unpublished version (an ingest that failed part way). */
  void discard(String documentId, int version);

  /**
   * Sets the status of a published version; false when that version is not published (replaced, or its document or
   * collection deleted meanwhile). SEARCHABLE also forgets which generation held its vectors (they are lost or still
   * to come); READY is {@link #markEmbedded}.
   */
  boolean setStatus(String documentId, int version, DocumentStatus status, String error);

  /** Removes every version of the document; false when there was none. */
  boolean delete(String documentId);

  /**
   * Deletes a collection for every reader in one transaction: every version of each of its
   * documents is unpublished and moved under a tombstone, the collection's row is removed (its name
   * is free again), and the unfinished files of its ingest jobs are cancelled (status FAILED,
   * {@link rag.storage.jobs.FileError#collectionDeleted}). Versions staged for the collection can no
   * longer be published. Empty when there is no such collection. The deletion stays
   * {@link #pendingDeletions() pending} until {@link #forgetDeletion}.
   */
  Optional<CollectionDeletion> deleteCollection(String name);

  /** Deletions not yet forgotten (interrupted by a crash, or under way), oldest first. */
  List<CollectionDeletion> pendingDeletions();

  /** Removes a deletion's tombstone with its documents and their chunks; nothing when it is gone already. */
  void forgetDeletion(String deletionId);

  /**
   * Removes every unpublished version (left by a crash), except those of pending collection
   * deletions; returns how many. Call before workers start.
   */
  default int discardUnpublished() {
    return discardUnpublished(Instant.MAX);
  }

  /**
   * Removes the unpublished versions last written before {@code stagedBefore} (left by a crash), except those of
   * pending collection deletions; returns how many. Younger ones may be another instance's write in progress.
   */
  int discardUnpublished(Instant stagedBefore);

  /** The version keys of every unpublished (staged) version. */
  Set<String> unpublishedVersionKeys();

  // Vector generations: which embedding model's vectors each collection searches.

  /** Every registered vector generation, by id. */
  List<VectorGeneration> generations();

  /** The generation of this model and dimension; registered, with the next id never used, when new. */
  VectorGeneration registerGeneration(String model, int dimension);

  /**
   * Records the vectors of a store from before generations as generation 1 of {@code model} and {@code dimension}:
   * every published READY version has its vectors there, and every collection with such a version searches it.
   * Does nothing when any generation is registered already.
   */
  void adoptUnversionedVectors(String model, int dimension);

  /** The generations that some collection searches or some published version has vectors in. */
  Set<Integer> generationsInUse();

  /** The generation the collection searches; empty while none of its documents had vectors (or no such collection). */
  Optional<Integer> searchedGeneration(String collection);

  /**
   * Marks a version READY with its vectors in {@code generation}; a collection that searched no generation yet
   * searches this one from now on. False when the version is gone (replaced or deleted meanwhile).
   */
  default boolean markEmbedded(String documentId, int version, int generation) {
    return markEmbedded(documentId, version, generation, true);
  }

  /**
   * {@link #markEmbedded(String, int, int)}; {@code stored}: whether the vectors are in the generation's store
   * already. When not, the {@link #keepsSearchOutbox() search outbox} records that they are to be written there
   * from the embedding cache.
   */
  boolean markEmbedded(String documentId, int version, int generation, boolean stored);

  /**
   * Whether this catalog records in its transactions what the search index still needs ({@link SearchOutbox}): the
   * cluster backend's, whose search index lives in another system that may be unreachable when a version is published.
   */
  boolean keepsSearchOutbox();

  /**
   * Applies the oldest outbox entries, at most {@code max}, in id order: takes the outbox for this instance alone
   * (a lease, so that no transaction stays open meanwhile), reads the entries with what the catalog holds now for
   * each, calls {@code apply}, which returns the ids of the entries it left for another instance, and deletes the
   * others by id (one with a lower id committed meanwhile stays for the next call). Returns how many were applied: 0
   * when none are waiting, when another instance holds the outbox, or when this catalog keeps none. When
   * {@code apply} throws, the entries stay for the next attempt.
   */
  int drainSearchOutbox(int max, java.util.function.Function<List<SearchOutbox.Entry>, Set<Long>> apply);

  /** The outbox's entries waiting, and the age of the oldest in milliseconds (0 when none). */
  SearchOutbox.Backlog searchOutboxBacklog();

  /**
   * Switches the collection to search {@code generation}, in one transaction, if every published version of it that
   * has chunks has its vectors there. Returns the generation it searched before; empty when it already searched
   * {@code generation}, searched none, or some version still lacks vectors there.
   */
  Optional<Integer> switchGeneration(String collection, int generation);

  /** Published documents of the collection that have chunks but no vectors in {@code generation}, by source path. */
  List<Document> withoutVectorsIn(String collection, int generation);

  /** The generation holding each published version's vectors, by version key; versions without vectors absent. */
  Map<String, Integer> publishedVectorGenerations();

  /**
   * Like {@link #publishedChunks(Collection)}, limited to the chunks a search may show: with a {@code generation},
   * only chunks of collections that search it (a vector hit of another generation's collection is not comparable and
   * must never be shown); with {@code readable} collections, only chunks of those. Null means no such limit.
   */
  Map<String, Chunk> publishedChunks(Collection<String> chunkIds, Integer generation, Set<String> readable);

  /** Cheap round trip to the database, for readiness checks. */
  boolean isHealthy();
}
