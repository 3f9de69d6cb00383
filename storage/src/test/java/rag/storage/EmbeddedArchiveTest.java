package rag.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The embedded backend: SQLite catalog, Lucene BM25 and Lucene HNSW, all on disk. */
class EmbeddedArchiveTest extends CollectionDeletionContract {
  @Override
  protected Archive open(int dimension, String model) {
    return ArchiveFactory.open(StorageConfig.embedded(dataDir), dimension, model);
  }

  @Override
  protected void tamper(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("catalog.db"));
        Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  @Test
  void onlyTheClusterBackendHasASearchIndexToRebuild() {
    Assertions.assertThatThrownBy(archive::rebuildSearch).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("<data-dir>/lexical");
  }

  /** The search outbox is the cluster backend's: the embedded backend writes its Lucene indexes itself. */
  @Test
  void onlyTheClusterBackendKeepsASearchOutbox() {
    archive.write(Fixtures.draft("c", "a.txt", "text/plain"), Fixtures.chunks("first"));
    archive.write(Fixtures.draft("c", "a.txt", "text/plain"), Fixtures.chunks("second"));
    Assertions.assertThat(archive.internals().catalog().keepsSearchOutbox()).isFalse();
    Assertions.assertThat(archive.searchOutboxBacklog().entries()).isZero();
    Assertions.assertThat(archive.applySearchOutbox(10)).isZero();
  }
}
