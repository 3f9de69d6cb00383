package rag.storage.vector;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import rag.storage.TestDatabase;
import rag.storage.catalog.Dialect;
import rag.storage.catalog.JdbcDocumentCatalog;

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
      new JdbcDocumentCatalog(pool, Dialect.POSTGRES); // the migrations: the vector extension (V7)
    }
    return new PgGenerationStores(pool, HnswParams.DEFAULT).open(new VectorGeneration(1, model, dimension));
  }

  @org.junit.jupiter.api.Test
  void bulkLoadWithBinaryCopyIsSearchableAfterTheIndexBuild() {
    PgVectorStore pg = (PgVectorStore) store;
    pg.dropIndex();
    java.util.List<DocumentVectors> docs = new java.util.ArrayList<>();
    for (int d = 0; d < 5; d++) {
      rag.storage.model.Document doc = doc("bulk" + d, 1, "c", "text/plain", "b" + d + ".txt");
      docs.add(new DocumentVectors(doc, vectors(doc, java.util.stream.IntStream.range(0, 20)
          .mapToObj(i -> rag.storage.Fixtures.vector(DIM, i, i)).toList())));
    }
    pg.bulkLoad(docs);
    pg.buildIndex();
    org.assertj.core.api.Assertions.assertThat(pg.vectorCount()).isEqualTo(100);
    var hits = pg.nearest(new VectorQuery(rag.storage.Fixtures.vector(DIM, 7, 7), null, 5));
    org.assertj.core.api.Assertions.assertThat(hits).hasSize(5);
    org.assertj.core.api.Assertions.assertThat(hits.get(0).chunkId()).endsWith(":1:7");
    org.assertj.core.api.Assertions.assertThat((double) hits.get(0).score()).isGreaterThan(0.999);
    org.assertj.core.api.Assertions.assertThat(pg.optimize()).contains("analyzed");
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
