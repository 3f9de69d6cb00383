package rag.storage.vector;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import rag.storage.catalog.StorageException;

/**
 * Each generation in its own pgvector table, {@code chunk_vectors_<id>}. The table {@code chunk_vectors} of
 * databases from before generations (with its model in {@code vector_store_meta}) becomes {@code chunk_vectors_1}.
 */
public final class PgGenerationStores implements GenerationStores {
  private final DataSource dataSource;
  private final HnswParams hnsw;

  public PgGenerationStores(DataSource dataSource, HnswParams hnsw) {
    this.dataSource = dataSource;
    this.hnsw = hnsw;
  }

  @Override
  public Optional<VectorGeneration> unversioned() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      if (!exists(s, "vector_store_meta")) {
        return Optional.empty();
      }
      try (ResultSet rs = s.executeQuery("SELECT dimension, model FROM vector_store_meta WHERE id = 1")) {
        return rs.next() ? Optional.of(new VectorGeneration(1, rs.getString(2), rs.getInt(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StorageException("cannot read vector_store_meta: " + e.getMessage(), e);
    }
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
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(7401)");
        if (exists(s, "chunk_vectors") && !exists(s, table)) {
          s.execute("ALTER TABLE chunk_vectors RENAME TO " + table);
          s.execute("ALTER INDEX IF EXISTS chunk_vectors_embedding_hnsw RENAME TO " + table + "_hnsw");
          s.execute("ALTER INDEX IF EXISTS chunk_vectors_document RENAME TO " + table + "_document");
          s.execute("ALTER INDEX IF EXISTS chunk_vectors_collection RENAME TO " + table + "_collection");
        }
        s.execute("DROP TABLE IF EXISTS vector_store_meta");
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StorageException("cannot rename chunk_vectors to " + table + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void drop(VectorGeneration generation) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + PgVectorStore.tableOf(generation));
    } catch (SQLException e) {
      throw new StorageException("cannot drop the vectors of generation " + generation.id() + ": " + e.getMessage(), e);
    }
  }

  private static boolean exists(Statement s, String table) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }
}
