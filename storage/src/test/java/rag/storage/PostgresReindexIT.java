package rag.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;

/** Vector generations on PostgreSQL: a pgvector table per generation, in a fresh database. */
class PostgresReindexIT extends ReindexContract {
  private TestDatabase database;

  @Override
  protected Archive open(int dimension, String model) {
    if (database == null) {
      database = TestDatabase.create();
    }
    return ArchiveFactory.open(StorageConfig.postgres(dataDir, database.jdbcUrl(), database.user(), null),
        dimension, model);
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(database.jdbcUrl(), database.user(), null);
  }

  @Override
  protected boolean storeExists(int generation) {
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_regclass('chunk_vectors_" + generation + "') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected void rewindToBeforeGenerations(String model, int dimension) throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      rewindCatalog(s);
      s.execute("ALTER TABLE chunk_vectors_1 RENAME TO chunk_vectors");
      s.execute("ALTER INDEX chunk_vectors_1_hnsw RENAME TO chunk_vectors_embedding_hnsw");
      s.execute("ALTER INDEX chunk_vectors_1_document RENAME TO chunk_vectors_document");
      s.execute("ALTER INDEX chunk_vectors_1_collection RENAME TO chunk_vectors_collection");
      s.execute("CREATE TABLE vector_store_meta (id INTEGER PRIMARY KEY CHECK (id = 1),"
          + " dimension INTEGER NOT NULL, model TEXT NOT NULL)");
      s.execute("INSERT INTO vector_store_meta (id, dimension, model) VALUES (1, " + dimension + ", '" + model + "')");
    }
  }

  @Override
  protected void rewindToVersion6() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      undoColumnMigrations(s);
      s.execute("DELETE FROM schema_version WHERE version > 6");
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
