package rag.storage;

import org.junit.jupiter.api.AfterEach;

/** The PostgreSQL backend: catalog and pgvector in a fresh database, Lucene BM25 on disk. */
class PostgresArchiveIT extends CollectionDeletionContract {
  private TestDatabase database;

  @Override
  protected Archive open(int dimension, String model) {
    if (database == null) {
      database = TestDatabase.create();
    }
    return ArchiveFactory.open(StorageConfig.postgres(dataDir, database.jdbcUrl(), database.user(), null),
        dimension, model);
  }

  @AfterEach
  void dropDatabase() throws Exception {
    if (archive != null) {
      archive.close();
      archive = null;
    }
    if (database != null) {
      database.close();
    }
  }
}
