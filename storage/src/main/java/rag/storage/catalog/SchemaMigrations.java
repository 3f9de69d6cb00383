package rag.storage.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Versioned schema migrations, applied in order at start, each in its own transaction and recorded
 * in {@code schema_version}. On PostgreSQL an advisory lock keeps two instances from migrating at once.
 * Append new files to {@link #MIGRATIONS}; never edit an applied one.
 */
final class SchemaMigrations {
  private static final Logger LOG = Logger.getLogger(SchemaMigrations.class);
  static final List<String> MIGRATIONS = List.of("V1__catalog.sql", "V2__ingest_jobs.sql",
      "V3__embedding_cache.sql", "V4__chunk_overlap.sql", "V5__collection_deletion.sql",
      "V6__vector_generations.sql");

  private SchemaMigrations() {}

  static int apply(DataSource dataSource, Dialect dialect) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        if (dialect == Dialect.POSTGRES) {
          s.execute("SELECT pg_advisory_xact_lock(7400)");
        }
        s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
            + " description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
        int current = 0;
        try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
          rs.next();
          current = rs.getInt(1);
        }
        int applied = 0;
        for (int i = current; i < MIGRATIONS.size(); i++) {
          String name = MIGRATIONS.get(i);
          for (String statement : statements(read(dialect, name))) {
            s.execute(statement);
          }
          try (PreparedStatement ps = c.prepareStatement(
              "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
            ps.setInt(1, i + 1);
            ps.setString(2, name);
            ps.setLong(3, System.currentTimeMillis());
            ps.executeUpdate();
          }
          applied++;
          LOG.infof("catalog schema migrated to version %d (%s)", i + 1, name);
        }
        c.commit();
        return applied;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StorageException("catalog schema migration failed: " + e.getMessage(), e);
    }
  }

  /** The dialect's own version of a migration if it has one, else the common one. */
  private static String read(Dialect dialect, String name) {
    ClassLoader cl = SchemaMigrations.class.getClassLoader();
    String resource = dialect.migrationFolder() + name;
    if (cl.getResource(resource) == null) {
      resource = Dialect.COMMON_MIGRATIONS + name;
    }
    try (InputStream in = cl.getResourceAsStream(resource)) {
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
    return java.util.Arrays.stream(cleaned.toString().split(";\\s*\n"))
        .map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
