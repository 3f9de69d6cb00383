package rag.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A PostgreSQL database of its own for one test class: created fresh on the server named by the
 * system property {@code ragtest.pg.url} (set by the build, default 127.0.0.1:5432) and dropped on
 * {@link #close()}. A missing server is a failure, never a skip: the README's test command installs
 * and starts PostgreSQL with pgvector first.
 */
public final class TestDatabase implements AutoCloseable {
  private final String adminUrl;
  private final String user;
  private final String name;

  private TestDatabase(String adminUrl, String user, String name) {
    this.adminUrl = adminUrl;
    this.user = user;
    this.name = name;
  }

  public static TestDatabase create() {
    String adminUrl = System.getProperty("ragtest.pg.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
    String user = System.getProperty("ragtest.pg.user", "postgres");
    String name = "rag_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
        .toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(adminUrl, user, null); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL tests need a server at " + adminUrl + " (user " + user
          + "); run the README's test command (scripts/test.sh), which installs and starts it: " + e.getMessage(), e);
    }
    return new TestDatabase(adminUrl, user, name);
  }

  public String jdbcUrl() {
    int slash = adminUrl.lastIndexOf('/');
    int query = adminUrl.indexOf('?', slash);
    return adminUrl.substring(0, slash + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
  }

  public String user() {
    return user;
  }

  public String name() {
    return name;
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = DriverManager.getConnection(adminUrl, user, null); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }
}
