package rag.storage.jobs;

import java.util.Locale;

/** Where one file of an ingest job is. DONE, UNCHANGED and FAILED are final. */
public enum FileStatus {
  QUEUED, PARSING, SEARCHABLE, EMBEDDING, DONE, UNCHANGED, FAILED;

  public boolean isFinal() {
    return this == DONE || this == UNCHANGED || this == FAILED;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
