package rag.app;

import java.util.Map;
import rag.storage.TestDatabase;

/** The packaged service on PostgreSQL + pgvector, in a fresh database of its own, dropped afterwards. */
class PackagedPostgresIT extends PackagedJourney {
  private TestDatabase database;

  @Override
  Map<String, String> backend() {
    if (database == null) {
      database = TestDatabase.create();
    }
    return Map.of("rag.storage.backend", "postgres", "rag.storage.jdbc-url", database.jdbcUrl(),
        "rag.storage.username", database.user(), "rag.storage.pool-size", "4");
  }

  @Override
  void dropBackend() throws Exception {
    if (database != null) {
      database.close();
    }
  }
}
