package rag.storage.catalog;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientException;

/** A store (database or index) could not do what was asked; the message says what and why. */
public class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageException(String message) {
    super(message);
  }

  /**
   * Whether {@code failure} is a storage failure that retrying later can cure: the database cannot be reached or is
   * restarting (a lost or refused connection, SQLState class 08, PostgreSQL's 57P01-57P03 shutdown codes, a pool
   * that timed out waiting for a connection, a pooled connection closed under the statement), or it rolled the
   * transaction back to end a deadlock or a serialization conflict (class 40: PostgreSQL's 40P01 and 40001; a batch of
   * status records can meet a collection's deletion that locks the same jobs in another order). Constraint violations
   * and the like are not. A {@link TransientStorageException} (a search cluster unreachable or overloaded) is.
   */
  public static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TransientStorageException) {
        return true;
      }
      if (t instanceof SQLTransientException || t instanceof SQLNonTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P")
          || sql.getSQLState().startsWith("40"))) {
        return true;
      }
      // Hikari's proxy of a connection that broke under the statement says only this, without an SQLState
      if (t instanceof SQLException && t.getMessage() != null && (t.getMessage().contains("Connection is closed")
          || t.getMessage().contains("This connection has been closed"))) {
        return true;
      }
    }
    return false;
  }
}
