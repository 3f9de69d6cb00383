package rag.storage;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** Vector generations on the embedded backend: a Lucene HNSW folder per generation, SQLite catalog. */
class EmbeddedReindexTest extends ReindexContract {
  @Override
  protected Archive open(int dimension, String model) {
    return ArchiveFactory.open(StorageConfig.embedded(dataDir), dimension, model);
  }

  @Override
  protected boolean storeExists(int generation) {
    return Files.exists(dataDir.resolve("vectors-" + generation));
  }

  @Override
  protected void rewindToBeforeGenerations(String model, int dimension) throws Exception {
    Files.move(dataDir.resolve("vectors-1"), dataDir.resolve("vectors"));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("catalog.db"));
        Statement s = c.createStatement()) {
      rewindCatalog(s);
    }
  }

  @Override
  protected void rewindToVersion6() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("catalog.db"));
        Statement s = c.createStatement()) {
      undoColumnMigrations(s);
      s.execute("DELETE FROM schema_version WHERE version > 6");
    }
  }
}
