package rag.storage.vector;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import rag.storage.Fixtures;
import rag.storage.TestDatabase;
import rag.storage.catalog.Dialect;
import rag.storage.catalog.JdbcDocumentCatalog;
import rag.storage.model.ChunkId;
import rag.storage.model.Document;

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

  @Test
  void bulkLoadWithBinaryCopyIsSearchableAfterTheIndexBuild() {
    PgVectorStore pg = (PgVectorStore) store;
    pg.dropIndex();
    List<DocumentVectors> docs = new ArrayList<>();
    for (int d = 0; d < 5; d++) {
      Document doc = doc("bulk" + d, 1, "c", "text/plain", "b" + d + ".txt");
      docs.add(new DocumentVectors(doc, vectors(doc, IntStream.range(0, 20)
          .mapToObj(i -> Fixtures.vector(DIM, i, i)).toList())));
    }
    pg.bulkLoad(docs);
    pg.buildIndex();
    assertThat(pg.vectorCount()).isEqualTo(100);
    var hits = pg.nearest(new VectorQuery(Fixtures.vector(DIM, 7, 7), null, 5));
    assertThat(hits).hasSize(5);
    assertThat(ChunkId.parse(hits.get(0).chunkId())).hasValueSatisfying(id -> {
      assertThat(id.version()).isEqualTo(1);
      assertThat(id.ordinal()).isEqualTo(7);
    });
    assertThat((double) hits.get(0).score()).isGreaterThan(0.999);
    assertThat(pg.optimize()).contains("analyzed");
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
