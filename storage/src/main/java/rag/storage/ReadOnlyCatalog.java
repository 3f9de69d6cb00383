package rag.storage;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import rag.storage.catalog.CatalogReader;
import rag.storage.catalog.DocumentCatalog;
import rag.storage.model.Chunk;
import rag.storage.model.CollectionStats;
import rag.storage.model.Document;
import rag.storage.model.DocumentStatus;
import rag.storage.model.Provenance;

/** The catalog's reads and nothing else: {@link Archive#reader()} hands this out, never the catalog itself. */
final class ReadOnlyCatalog implements CatalogReader {
  private final DocumentCatalog catalog;

  ReadOnlyCatalog(DocumentCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public Optional<Document> find(String documentId) {
    return catalog.find(documentId);
  }

  @Override
  public Optional<Document> findBySourcePath(String collection, String sourcePath) {
    return catalog.findBySourcePath(collection, sourcePath);
  }

  @Override
  public List<Document> findBySha256(String collection, String sha256) {
    return catalog.findBySha256(collection, sha256);
  }

  @Override
  public Map<String, List<Document>> findBySha256(String collection, Collection<String> sha256s) {
    return catalog.findBySha256(collection, sha256s);
  }

  @Override
  public Map<String, Document> findBySourcePaths(String collection, Collection<String> sourcePaths) {
    return catalog.findBySourcePaths(collection, sourcePaths);
  }

  @Override
  public List<Document> list(String collection, int offset, int limit) {
    return catalog.list(collection, offset, limit);
  }

  @Override
  public Map<String, Document> findAll(Collection<String> documentIds) {
    return catalog.findAll(documentIds);
  }

  @Override
  public List<CollectionStats> collections() {
    return catalog.collections();
  }

  @Override
  public Optional<CollectionStats> collection(String name) {
    return catalog.collection(name);
  }

  @Override
  public List<Chunk> chunks(String documentId) {
    return catalog.chunks(documentId);
  }

  @Override
  public List<Chunk> chunks(String documentId, int version) {
    return catalog.chunks(documentId, version);
  }

  @Override
  public List<Provenance> provenances(String documentId, int version) {
    return catalog.provenances(documentId, version);
  }

  @Override
  public Map<String, Chunk> publishedChunks(Collection<String> chunkIds) {
    return catalog.publishedChunks(chunkIds);
  }

  @Override
  public Map<String, Integer> publishedVersions(Collection<String> documentIds) {
    return catalog.publishedVersions(documentIds);
  }

  @Override
  public Set<String> publishedVersionKeys() {
    return catalog.publishedVersionKeys();
  }

  @Override
  public List<Document> publishedWithStatus(DocumentStatus status) {
    return catalog.publishedWithStatus(status);
  }

  @Override
  public List<Document> allPublished() {
    return catalog.allPublished();
  }
}
