package rag.storage.catalog;

/** The SQL databases the catalog runs on. The SQL is shared; migrations live per dialect. */
public enum Dialect {
  POSTGRES("postgres"),
  SQLITE("sqlite");

  private final String migrationFolder;

  Dialect(String migrationFolder) {
    this.migrationFolder = migrationFolder;
  }

  String migrationFolder() {
    return "rag/storage/migrations/" + migrationFolder + "/";
  }
}
