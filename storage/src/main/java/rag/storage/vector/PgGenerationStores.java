package rag.storage.vector;

import static rag.storage.jdbc.Jdbc.execute;
import static rag.storage.jdbc.Jdbc.params;
import static rag.storage.jdbc.Jdbc.queryFirst;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import rag.storage.jdbc.Jdbc;

/**
 * Each generation in its own pgvector table, {@code chunk_vectors_<id>}. The table {@code chunk_vectors} of
 * databases from before generations (with its model in {@code vector_store_meta}) becomes {@code chunk_vectors_1}.
 */
public final class PgGenerationStores implements GenerationStores {
  private final DataSource dataSource;
  private final Jdbc jdbc;
  private final HnswParams hnsw;

  public PgGenerationStores(DataSource dataSource, HnswParams hnsw) {
    this.dataSource = dataSource;
    this.jdbc = new Jdbc(dataSource);
    this.hnsw = hnsw;
  }

  @Override
  public Optional<VectorGeneration> unversioned() {
    return jdbc.withConnection("cannot read vector_store_meta", c -> !exists(c, "vector_store_meta")
        ? Optional.empty()
        : queryFirst(c, "SELECT dimension, model FROM vector_store_meta WHERE id = 1", params(),
            rs -> new VectorGeneration(1, rs.getString(2), rs.getInt(1))));
  }

  @Override
  public VectorStore open(VectorGeneration generation) {
    if (unversioned().filter(generation::equals).isPresent()) {
      adoptUnversioned(generation);
    }
    return new PgVectorStore(dataSource, generation, hnsw);
  }

  /** Renames chunk_vectors and its indexes to the generation's names, in one transaction. */
  private void adoptUnversioned(VectorGeneration generation) {
    String table = PgVectorStore.tableOf(generation);
    jdbc.inTransaction("cannot rename chunk_vectors to " + table, c -> {
      execute(c, "SELECT pg_advisory_xact_lock(7401)");
      if (exists(c, "chunk_vectors") && !exists(c, table)) {
        execute(c, "ALTER TABLE chunk_vectors RENAME TO " + table);
        execute(c, "ALTER INDEX IF EXISTS chunk_vectors_embedding_hnsw RENAME TO " + table + "_hnsw");
        execute(c, "ALTER INDEX IF EXISTS chunk_vectors_document RENAME TO " + table + "_document");
        execute(c, "ALTER INDEX IF EXISTS chunk_vectors_collection RENAME TO " + table + "_collection");
      }
      execute(c, "DROP TABLE IF EXISTS vector_store_meta");
      return null;
    });
  }

  @Override
  public void drop(VectorGeneration generation) {
    jdbc.withConnection("cannot drop the vectors of generation " + generation.id(), c -> {
      execute(c, "DROP TABLE IF EXISTS " + PgVectorStore.tableOf(generation));
      return null;
    });
  }

  private static boolean exists(Connection c, String table) throws SQLException {
    return queryFirst(c, "SELECT to_regclass('" + table + "') IS NOT NULL", params(), rs -> rs.getBoolean(1))
        .orElseThrow();
  }
}
