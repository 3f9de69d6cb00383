package rag.storage.catalog;

import static rag.storage.jdbc.Jdbc.execute;
import static rag.storage.jdbc.Jdbc.params;
import static rag.storage.jdbc.Jdbc.queryFirst;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import rag.storage.jdbc.Jdbc;
import rag.storage.vector.DimensionMismatchException;
import rag.storage.vector.VectorGeneration;

/**
 * The schema of the catalog's database, and the only code that changes it. Versioned migrations are applied in
 * order at start, each in its own transaction and recorded in {@code schema_version}; append new files to
 * {@link #MIGRATIONS}, never edit an applied one. On PostgreSQL the tables of the vector generations
 * ({@code chunk_vectors_<id>}) depend on the generation, so they come from one templated script, applied when a
 * generation is first opened ({@link #ensureVectorTable}); renaming and dropping them is here too. Every one of
 * these changes holds the same advisory lock, so instances sharing a database never change its schema at once.
 */
public final class SchemaMigrations {
  private static final Logger LOG = Logger.getLogger(SchemaMigrations.class);
  static final List<String> MIGRATIONS = List.of("V1__catalog.sql", "V2__ingest_jobs.sql",
      "V3__embedding_cache.sql", "V4__chunk_overlap.sql", "V5__collection_deletion.sql",
      "V6__vector_generations.sql", "V7__vector_extension.sql", "V8__token_counts.sql", "V9__eval_runs.sql",
      "V10__api_keys.sql", "V11__audit_log.sql", "V12__question_sets.sql", "V13__conversations.sql",
      "V14__shared_ingest.sql", "V15__search_outbox.sql");
  private static final String VECTOR_TABLE_TEMPLATE = "rag/storage/migrations/postgres/generation/chunk_vectors.sql";
  private static final String SCHEMA_LOCK = "SELECT pg_advisory_xact_lock(7400)";

  private SchemaMigrations() {}

  static int apply(DataSource dataSource, Dialect dialect) {
    return new Jdbc(dataSource).inTransaction("catalog schema migration failed", c -> {
      if (dialect == Dialect.POSTGRES) {
        execute(c, SCHEMA_LOCK);
      }
      execute(c, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
          + " description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      int current = queryFirst(c, "SELECT COALESCE(MAX(version), 0) FROM schema_version", params(),
          rs -> rs.getInt(1)).orElseThrow();
      int applied = 0;
      for (int i = current; i < MIGRATIONS.size(); i++) {
        String name = MIGRATIONS.get(i);
        for (String statement : statements(read(dialect, name))) {
          execute(c, statement);
        }
        Jdbc.update(c, "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
            params(i + 1, name, System.currentTimeMillis()));
        applied++;
        LOG.infof("catalog schema migrated to version %d (%s)", i + 1, name);
      }
      return applied;
    });
  }

  /** The PostgreSQL table holding a generation's vectors. */
  public static String vectorTable(VectorGeneration generation) {
    return "chunk_vectors_" + generation.id();
  }

  /**
   * Creates the generation's vector table and its indexes when missing (a migrated catalog has the vector extension
   * since V7), and checks that an existing one holds vectors of the generation's dimension.
   *
   * @throws DimensionMismatchException when the table holds vectors of another dimension
   */
  public static void ensureVectorTable(DataSource dataSource, VectorGeneration generation) {
    String table = vectorTable(generation);
    List<String> statements = statements(resource(VECTOR_TABLE_TEMPLATE).replace("{table}", table)
        .replace("{dimension}", Integer.toString(generation.dimension())));
    new Jdbc(dataSource).inTransaction("cannot initialize the pgvector store " + table, c -> {
      execute(c, SCHEMA_LOCK);
      for (String statement : statements) {
        execute(c, statement);
      }
      // pgvector keeps a vector column's dimension as its type modifier
      Optional<Integer> stored = queryFirst(c, "SELECT atttypmod FROM pg_attribute WHERE attrelid = '" + table
          + "'::regclass AND attname = 'embedding'", params(), rs -> rs.getInt(1));
      if (stored.isPresent() && stored.get() != generation.dimension()) {
        throw new DimensionMismatchException("PostgreSQL table " + table, stored.get(), "unknown",
            generation.dimension(), generation.model());
      }
      return null;
    });
  }

  /**
   * Renames the one vector table of an archive from before generations ({@code chunk_vectors}) and its indexes to
   * the generation's names, unless that table exists already, and drops its {@code vector_store_meta}.
   */
  public static void adoptUnversionedVectorTable(DataSource dataSource, VectorGeneration generation) {
    String table = vectorTable(generation);
    new Jdbc(dataSource).inTransaction("cannot rename chunk_vectors to " + table, c -> {
      execute(c, SCHEMA_LOCK);
      if (tableExists(c, "chunk_vectors") && !tableExists(c, table)) {
        execute(c, "ALTER TABLE chunk_vectors RENAME TO " + table);
        execute(c, "ALTER INDEX IF EXISTS chunk_vectors_embedding_hnsw RENAME TO " + table + "_hnsw");
        execute(c, "ALTER INDEX IF EXISTS chunk_vectors_document RENAME TO " + table + "_document");
        execute(c, "ALTER INDEX IF EXISTS chunk_vectors_collection RENAME TO " + table + "_collection");
      }
      execute(c, "DROP TABLE IF EXISTS vector_store_meta");
      return null;
    });
  }

  /** Drops the generation's vector table, if there is one. */
  public static void dropVectorTable(DataSource dataSource, VectorGeneration generation) {
    new Jdbc(dataSource).inTransaction("cannot drop the vectors of generation " + generation.id(), c -> {
      execute(c, SCHEMA_LOCK);
      execute(c, "DROP TABLE IF EXISTS " + vectorTable(generation));
      return null;
    });
  }

  private static boolean tableExists(Connection c, String name) throws SQLException {
    return queryFirst(c, "SELECT to_regclass('" + name + "') IS NOT NULL", params(), rs -> rs.getBoolean(1))
        .orElseThrow();
  }

  /** The dialect's own version of a migration if it has one, else the common one. */
  private static String read(Dialect dialect, String name) {
    String resource = dialect.migrationFolder() + name;
    if (SchemaMigrations.class.getClassLoader().getResource(resource) == null) {
      resource = Dialect.COMMON_MIGRATIONS + name;
    }
    return resource(resource);
  }

  private static String resource(String resource) {
    try (InputStream in = SchemaMigrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new StorageException("missing migration resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StorageException("cannot read migration " + resource, e);
    }
  }

  /** Splits a script at semicolons that end a line; comments starting a line are dropped. */
  static List<String> statements(String script) {
    StringBuilder cleaned = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.strip().startsWith("--")) {
        cleaned.append(line).append('\n');
      }
    }
    return Arrays.stream(cleaned.toString().split(";\\s*\n"))
        .map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
