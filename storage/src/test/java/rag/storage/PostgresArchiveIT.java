package rag.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

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

  @Override
  protected void tamper(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), null);
        Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
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
