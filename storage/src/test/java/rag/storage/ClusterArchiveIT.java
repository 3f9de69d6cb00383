package rag.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import rag.storage.opensearch.OpenSearchSettings;
import rag.storage.opensearch.TestOpenSearch;

/**
 * The cluster backend: the catalog in a fresh PostgreSQL database, BM25 and vectors on the real three-node OpenSearch
 * cluster under a fresh prefix (one shard each: the contract is about the archive; OpenSearchLexicalIndexIT and
 * OpenSearchVectorStoreIT test three shards with replicas). Every guarantee of the other backends holds here too.
 */
class ClusterArchiveIT extends CollectionDeletionContract {
  private TestDatabase database;
  private final OpenSearchSettings search = TestOpenSearch.singleShardSettings();

  @Override
  protected Archive open(int dimension, String model) {
    if (database == null) {
      database = TestDatabase.create();
    }
    return ArchiveFactory.open(StorageConfig.cluster(dataDir, database.jdbcUrl(), database.user(), null, search),
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
  void dropDatabaseAndIndexes() throws Exception {
    if (archive != null) {
      archive.close();
      archive = null;
    }
    if (database != null) {
      database.close();
    }
    TestOpenSearch.deleteIndexes(search);
  }
}
