package rag.storage.catalog;

import java.io.Closeable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import rag.storage.model.Chunk;
import rag.storage.model.CollectionStats;
import rag.storage.model.Document;
import rag.storage.model.DocumentStatus;
import rag.storage.model.Provenance;

/**
 * The system of record: documents and the text of their chunks. A document version is first
 * {@link #stage staged} (invisible), then {@link #publish published} in one transaction that also
 * removes the version it replaces. Every read method sees published versions only, unless it says
 * otherwise.
 */
public interface DocumentCatalog extends Closeable {

  /** Creates the collection if it does not exist; returns true when it was created. */
  boolean ensureCollection(String name);

  /**
   * Stores a new, unpublished version of the document at {@code draft.sourcePath()} in its
   * collection: the same document id as an existing document at that path, the next version number.
   * Returns the staged document (id, version, token and chunk counts filled in).
   */
  Document stage(Document draft, List<Chunk> chunks);

  /**
   * Publishes a staged version and removes the previously published one, in one transaction.
   * Returns the version it replaced, if any.
   */
  Optional<Integer> publish(String documentId, int version);

  /** Removes an unpublished version (an ingest that failed part way). */
  void discard(String documentId, int version);

  /** Sets the status of a version; false when that version is gone (replaced or deleted meanwhile). */
  boolean setStatus(String documentId, int version, DocumentStatus status, String error);

  /** Removes every version of the document; false when there was none. */
  boolean delete(String documentId);

  Optional<Document> find(String documentId);

  Optional<Document> findBySourcePath(String collection, String sourcePath);

  /** Published documents of the collection with these exact bytes. */
  List<Document> findBySha256(String collection, String sha256);

  /** Published documents of a collection ordered by source path. */
  List<Document> list(String collection, int offset, int limit);

  Map<String, Document> findAll(Collection<String> documentIds);

  /** Every collection, with totals over its published documents, by name. */
  List<CollectionStats> collections();

  Optional<CollectionStats> collection(String name);

  /** Chunks of the published version, by ordinal. */
  List<Chunk> chunks(String documentId);

  /** Chunks of any version, staged or published, by ordinal. */
  List<Chunk> chunks(String documentId, int version);

  /** Where each chunk of a version comes from, by ordinal, without reading the chunks' text. */
  List<Provenance> provenances(String documentId, int version);

  /** The chunks among {@code chunkIds} that belong to published versions, by id; others are absent. */
  Map<String, Chunk> publishedChunks(Collection<String> chunkIds);

  /** The published version of each of these documents that has one. */
  Map<String, Integer> publishedVersions(Collection<String> documentIds);

  /** Version keys of all published versions. */
  Set<String> publishedVersionKeys();

  /** Published documents (all collections) in this status, by collection and source path. */
  List<Document> publishedWithStatus(DocumentStatus status);

  /** Published documents (all collections), for rebuilding an index. */
  List<Document> allPublished();

  /** Removes every unpublished version (left by a crash); returns how many. Call before workers start. */
  int discardUnpublished();

  /** Cheap round trip to the database, for readiness checks. */
  boolean isHealthy();
}
