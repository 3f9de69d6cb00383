package rag.storage.vector;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import rag.storage.TestDatabase;

class PgVectorStoreIT extends VectorStoreContract {
  private TestDatabase database;
  private HikariDataSource pool;

  @Override
  protected VectorStore open(int dimension, String model) {
    if (database == null) {
      database = TestDatabase.create();
      pool = new HikariDataSource();
      pool.setJdbcUrl(database.jdbcUrl() + "?reWriteBatchedInserts=true");
      pool.setUsername(database.user());
      pool.setMaximumPoolSize(2);
      pool.setConnectionInitSql("SET hnsw.ef_search = 40; SET hnsw.iterative_scan = relaxed_order");
    }
    return new PgVectorStore(pool, dimension, model, HnswParams.DEFAULT);
  }

  @AfterEach
  void dropDatabase() throws Exception {
    if (store != null) {
      store.close();
      store = null;
    }
    if (pool != null) {
      pool.close();
    }
    if (database != null) {
      database.close();
    }
  }
}
