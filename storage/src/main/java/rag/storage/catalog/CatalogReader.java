package rag.storage.catalog;

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
 * The catalog's reads: what planning, retrieval, prompt assembly and the API need, and nothing that changes the
 * catalog. Every method sees published versions only unless it says otherwise. Readers get it from
 * {@code Archive.reader()}, a view that cannot be cast back to the writable {@link DocumentCatalog}.
 */
public interface CatalogReader {

  Optional<Document> find(String documentId);

  Optional<Document> findBySourcePath(String collection, String sourcePath);

  /** Published documents of the collection with these exact bytes. */
  List<Document> findBySha256(String collection, String sha256);

  /**
   * {@link #findBySha256} for several digests in one read: the published documents of the collection with each of
   * these digests (ordered by source path), keyed by digest; digests without any are missing.
   */
  Map<String, List<Document>> findBySha256(String collection, Collection<String> sha256s);

  /** {@link #findBySourcePath} for several paths in one read, keyed by source path; paths without one are missing. */
  Map<String, Document> findBySourcePaths(String collection, Collection<String> sourcePaths);

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
}
