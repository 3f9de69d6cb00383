package rag.bench;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import rag.storage.model.Document;
import rag.storage.model.Hit;
import rag.storage.vector.EmbeddedChunk;
import rag.storage.vector.VectorQuery;
import rag.storage.vector.VectorStore;

/**
 * The archive's vector store, adding up the time of {@link #upsert} (HNSW insertion and the commit
 * per document), which the embedding worker spends with the embedder idle. Closing is left to the
 * store's owner.
 */
final class TimedVectorStore implements VectorStore {
  private final VectorStore delegate;
  private final AtomicLong upsertNanos = new AtomicLong();

  TimedVectorStore(VectorStore delegate) {
    this.delegate = delegate;
  }

  double upsertSeconds() {
    return upsertNanos.get() / 1e9;
  }

  void reset() {
    upsertNanos.set(0);
  }

  @Override
  public void upsert(Document document, List<EmbeddedChunk> chunks) {
    long start = System.nanoTime();
    try {
      delegate.upsert(document, chunks);
    } finally {
      upsertNanos.addAndGet(System.nanoTime() - start);
    }
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  @Override
  public void deleteVersion(String documentId, int version) {
    delegate.deleteVersion(documentId, version);
  }

  @Override
  public void deleteDocument(String documentId) {
    delegate.deleteDocument(documentId);
  }

  @Override
  public void deleteDocuments(Collection<String> documentIds) {
    delegate.deleteDocuments(documentIds);
  }

  @Override
  public void deleteCollection(String collection) {
    delegate.deleteCollection(collection);
  }

  @Override
  public List<Hit> nearest(VectorQuery query) {
    return delegate.nearest(query);
  }

  @Override
  public Set<String> versionKeys() {
    return delegate.versionKeys();
  }

  @Override
  public long vectorCount() {
    return delegate.vectorCount();
  }

  @Override
  public long vectorCount(String documentId, int version) {
    return delegate.vectorCount(documentId, version);
  }

  @Override
  public String optimize() {
    return delegate.optimize();
  }

  @Override
  public void close() {
    // the archive that opened the store closes it
  }
}
