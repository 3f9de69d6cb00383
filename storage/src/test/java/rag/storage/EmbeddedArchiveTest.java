package rag.storage;

/** The embedded backend: SQLite catalog, Lucene BM25 and Lucene HNSW, all on disk. */
class EmbeddedArchiveTest extends CollectionDeletionContract {
  @Override
  protected Archive open(int dimension, String model) {
    return ArchiveFactory.open(StorageConfig.embedded(dataDir), dimension, model);
  }
}
