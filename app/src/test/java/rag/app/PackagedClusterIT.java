package rag.app;

import java.util.Map;
import rag.storage.TestDatabase;
import rag.storage.opensearch.OpenSearchSettings;
import rag.storage.opensearch.TestOpenSearch;

/**
 * The packaged service on the cluster backend: the catalog in a fresh PostgreSQL database, BM25 and vectors on the
 * real three-node OpenSearch cluster under a fresh index prefix; both dropped afterwards. The whole journey holds.
 */
class PackagedClusterIT extends PackagedJourney {
  private TestDatabase database;
  private OpenSearchSettings search;

  @Override
  Map<String, String> backend() {
    if (database == null) {
      database = TestDatabase.create();
      search = TestOpenSearch.settings();
    }
    return Map.of("rag.storage.backend", "cluster", "rag.storage.jdbc-url", database.jdbcUrl(),
        "rag.storage.username", database.user(), "rag.storage.pool-size", "4",
        "rag.opensearch.urls", TestOpenSearch.urls(), "rag.opensearch.index-prefix", search.prefix());
  }

  @Override
  void dropBackend() throws Exception {
    if (database != null) {
      database.close();
      TestOpenSearch.deleteIndexes(search);
    }
  }
}
