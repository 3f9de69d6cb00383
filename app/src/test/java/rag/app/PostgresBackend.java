package rag.app;

import java.util.HashMap;
import java.util.Map;
import rag.storage.TestDatabase;

/** The application on the PostgreSQL backend, in a fresh database of its own, dropped afterwards. */
public class PostgresBackend extends TempDataDir {
  private TestDatabase database;

  @Override
  public Map<String, String> start() {
    database = TestDatabase.create();
    Map<String, String> config = new HashMap<>(super.start());
    config.put("rag.storage.backend", "postgres");
    config.put("rag.storage.jdbc-url", database.jdbcUrl());
    config.put("rag.storage.username", database.user());
    config.put("rag.storage.pool-size", "4");
    return config;
  }

  @Override
  public void stop() {
    super.stop();
    try {
      database.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not drop test database " + database.name(), e);
    }
  }
}
