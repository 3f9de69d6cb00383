package rag.storage.vector;

import static rag.storage.jdbc.Jdbc.params;
import static rag.storage.jdbc.Jdbc.queryFirst;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import rag.storage.catalog.SchemaMigrations;
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

  /** The generation's table comes from {@link SchemaMigrations}, which owns the database's DDL. */
  @Override
  public VectorStore open(VectorGeneration generation) {
    PgVectorStore.requireIndexable(generation);
    if (unversioned().filter(generation::equals).isPresent()) {
      SchemaMigrations.adoptUnversionedVectorTable(dataSource, generation);
    }
    SchemaMigrations.ensureVectorTable(dataSource, generation);
    return new PgVectorStore(dataSource, generation, hnsw);
  }

  @Override
  public void drop(VectorGeneration generation) {
    SchemaMigrations.dropVectorTable(dataSource, generation);
  }

  private static boolean exists(Connection c, String table) throws SQLException {
    return queryFirst(c, "SELECT to_regclass('" + table + "') IS NOT NULL", params(), rs -> rs.getBoolean(1))
        .orElseThrow();
  }
}
