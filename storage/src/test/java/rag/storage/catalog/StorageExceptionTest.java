package rag.storage.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Which storage failures the ingest workers wait out (issue 16: PostgreSQL restarting) and which fail a file. */
class StorageExceptionTest {
  @Test
  void lostOrRefusedConnectionsAreTransientAndConstraintViolationsAreNot() {
    assertThat(StorageException.isTransient(new StorageException("publish", new SQLException(
        "An I/O error occurred while sending to the backend.", "08006")))).isTrue();
    assertThat(StorageException.isTransient(new StorageException("x", new SQLException(
        "FATAL: terminating connection due to administrator command", "57P01")))).isTrue();
    assertThat(StorageException.isTransient(new StorageException("x", new SQLTransientConnectionException(
        "catalog-postgres - Connection is not available, request timed out after 10001ms")))).isTrue();
    assertThat(StorageException.isTransient(new StorageException("catalog: cannot publish",
        new SQLException("Connection is closed")))).isTrue();
    assertThat(StorageException.isTransient(new RuntimeException("wrapped", new StorageException("x",
        new SQLException("refused", "08001"))))).isTrue();
    assertThat(StorageException.isTransient(new StorageException("cannot update 4 ingest files",
        new SQLException("ERROR: deadlock detected", "40P01")))).isTrue();
    assertThat(StorageException.isTransient(new StorageException("x",
        new SQLException("could not serialize access due to concurrent update", "40001")))).isTrue();

    assertThat(StorageException.isTransient(new StorageException("x",
        new SQLIntegrityConstraintViolationException("duplicate key", "23505")))).isFalse();
    assertThat(StorageException.isTransient(new StorageException("no such table"))).isFalse();
    assertThat(StorageException.isTransient(new IllegalStateException("bug"))).isFalse();
  }

  @Test
  void anUnreachableOrOverloadedSearchClusterIsTransientWhereverItIsWrapped() {
    assertThat(StorageException.isTransient(new TransientStorageException("no OpenSearch node answered"))).isTrue();
    assertThat(StorageException.isTransient(new RuntimeException("indexing",
        new TransientStorageException("OpenSearch answered 429")))).isTrue();
    assertThat(StorageException.isTransient(new StorageException("OpenSearch answered 400: mapper_parsing_exception")))
        .isFalse();
  }
}
