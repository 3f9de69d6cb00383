package rag.storage.catalog;

/**
 * The SQL databases the catalog runs on. The SQL is shared; a migration lives in the common folder
 * unless a dialect needs its own version (e.g. BLOB against BYTEA).
 */
public enum Dialect {
  POSTGRES("postgres"),
  SQLITE("sqlite");

  static final String COMMON_MIGRATIONS = "rag/storage/migrations/common/";

  private final String migrationFolder;

  Dialect(String migrationFolder) {
    this.migrationFolder = migrationFolder;
  }

  String migrationFolder() {
    return "rag/storage/migrations/" + migrationFolder + "/";
  }
}
