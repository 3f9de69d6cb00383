package rag.storage.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A connection for the length of one transaction on which {@code prepareStatement(sql)} returns the statement it
 * prepared before for the same SQL, once that one was closed: a transaction that stages or records many files runs
 * the same few statements for each, and preparing them anew was a third of the catalog's CPU time on SQLite. A
 * statement still open when its SQL is prepared again (a query nested in the loop over its own results) is prepared
 * afresh and closed as usual. Closing a reused statement clears its parameters and batch; {@link #closeAll} closes
 * them for real when the transaction ends.
 */
final class StatementReuse implements InvocationHandler {
  private final Connection connection;
  private final Connection reusing;
  private final Map<String, Reused> statements = new HashMap<>();

  StatementReuse(Connection connection) {
    this.connection = connection;
    this.reusing = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, this);
  }

  /** {@code connection}, reusing the statements it prepares. */
  Connection connection() {
    return reusing;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("prepareStatement") && args != null && args.length == 1) {
      String sql = (String) args[0];
      Reused reused = statements.get(sql);
      if (reused == null) {
        reused = new Reused(connection.prepareStatement(sql));
        statements.put(sql, reused);
      } else if (reused.open) {
        return connection.prepareStatement(sql);
      }
      reused.open = true;
      return reused.proxy;
    }
    return call(connection, method, args);
  }

  /** Closes every statement this transaction prepared; the first failure is thrown after all were tried. */
  void closeAll() throws SQLException {
    SQLException failure = null;
    for (Reused reused : statements.values()) {
      try {
        reused.statement.close();
      } catch (SQLException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    statements.clear();
    if (failure != null) {
      throw failure;
    }
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** One prepared statement and the proxy handed out for it, whose {@code close()} makes it ready for reuse. */
  private static final class Reused implements InvocationHandler {
    final PreparedStatement statement;
    final PreparedStatement proxy;
    boolean open;

    Reused(PreparedStatement statement) {
      this.statement = statement;
      this.proxy = (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
          new Class<?>[] {PreparedStatement.class}, this);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "close" -> {
          if (open) {
            open = false;
            statement.clearParameters();
            statement.clearBatch();
          }
          return null;
        }
        case "isClosed" -> {
          return !open;
        }
        default -> {
          return call(statement, method, args);
        }
      }
    }
  }
}
