package rag.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import rag.storage.catalog.StorageException;

/**
 * The JDBC plumbing of the stores kept in the catalog's database (catalog, ingest jobs, embedding cache, pgvector):
 * one pooled connection per call, transactions that commit or roll back, statements bound and rows mapped, batches
 * sent every {@value #BATCH_SIZE} rows. A {@link SQLException} leaves as a {@link StorageException} whose message is
 * the caller's description of what failed, a colon and the driver's message; other exceptions of the work pass
 * unchanged (after the rollback). The data source stays the caller's to close.
 *
 * <p>The instance methods open a connection; the static ones work on the connection of an enclosing
 * {@link #inTransaction} or {@link #withConnection}.
 */
public final class Jdbc {
  /** Rows per {@link PreparedStatement#executeBatch()} in {@link #batch}. */
  public static final int BATCH_SIZE = 1000;

  /** Work on an open connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Sets a statement's parameters. */
  @FunctionalInterface
  public interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Sets a statement's parameters for one item of a batch. */
  @FunctionalInterface
  public interface ItemBinder<T> {
    void bind(PreparedStatement ps, T item) throws SQLException;
  }

  /** Turns the current row into a value. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private final DataSource dataSource;

  public Jdbc(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. Within it, a statement
   * prepared again with the same SQL is the one prepared before ({@link StatementReuse}).
   */
  public <T> T inTransaction(String failure, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      StatementReuse reuse = new StatementReuse(c);
      try {
        T result = work.run(reuse.connection());
        reuse.closeAll();
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          reuse.closeAll();
        } catch (SQLException closing) {
          e.addSuppressed(closing);
        }
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw translate(failure, e);
    }
  }

  /** Runs {@code work} on one connection in auto-commit mode: each statement is a transaction of its own. */
  public <T> T withConnection(String failure, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw translate(failure, e);
    }
  }

  /** The rows of one query, in the order the database returns them. */
  public <T> List<T> query(String failure, String sql, Binder binder, RowMapper<T> mapper) {
    return withConnection(failure, c -> query(c, sql, binder, mapper));
  }

  /** Runs one INSERT, UPDATE or DELETE (or other statement) in auto-commit mode; the count of rows it changed. */
  public int update(String failure, String sql, Binder binder) {
    return withConnection(failure, c -> update(c, sql, binder));
  }

  public static <T> List<T> query(Connection c, String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      List<T> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
      }
      return rows;
    }
  }

  /** The first row of a query, if it has one. */
  public static <T> Optional<T> queryFirst(Connection c, String sql, Binder binder, RowMapper<T> mapper)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty();
      }
    }
  }

  public static int update(Connection c, String sql, Binder binder) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      return ps.executeUpdate();
    }
  }

  /** Runs SQL without parameters: DDL, or taking a lock. */
  public static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Runs one statement for every item, sent to the database {@value #BATCH_SIZE} rows at a time. */
  public static <T> void batch(Connection c, String sql, Iterable<T> items, ItemBinder<T> binder)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int pending = 0;
      for (T item : items) {
        binder.bind(ps, item);
        ps.addBatch();
        if (++pending == BATCH_SIZE) {
          ps.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        ps.executeBatch();
      }
    }
  }

  /** Binds the values to the parameters in order, with {@link PreparedStatement#setObject(int, Object)}. */
  public static Binder params(Object... values) {
    return ps -> {
      for (int i = 0; i < values.length; i++) {
        ps.setObject(i + 1, values[i]);
      }
    };
  }

  /** The exception a failed database call leaves as: {@code failure}, a colon and the driver's message. */
  public static StorageException translate(String failure, SQLException e) {
    return new StorageException(failure + ": " + e.getMessage(), e);
  }

  /** {@code n} comma-separated parameter markers, for an IN list. */
  public static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  /** Consecutive slices of at most {@code size} items, to keep IN lists bounded. */
  public static <T> List<List<T>> partition(List<T> items, int size) {
    List<List<T>> parts = new ArrayList<>();
    for (int i = 0; i < items.size(); i += size) {
      parts.add(items.subList(i, Math.min(items.size(), i + size)));
    }
    return parts;
  }

  public static Integer getInteger(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  public static Long getLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  public static void setInteger(PreparedStatement ps, int i, Integer v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.INTEGER);
    } else {
      ps.setInt(i, v);
    }
  }

  public static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }
}
