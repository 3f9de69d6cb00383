package rag.storage.jobs;

import java.util.Arrays;
import java.util.Locale;

/**
 * What ingesting a file did to the archive. The API and the {@code ingest_files.outcome} column carry the
 * {@link #wireName()}: {@code created}, {@code replaced}, {@code unchanged}, {@code re-embedded},
 * {@code re-indexed}.
 */
public enum FileOutcome {
  /** A new document. */
  CREATED,
  /** A new version of the document at the same path, which replaced the published one. */
  REPLACED,
  /** The same bytes as the published document: nothing was written. */
  UNCHANGED,
  /** A repair job embedded the document again (its vectors were lost). */
  RE_EMBEDDED,
  /** A re-index job embedded the document with the configured model. */
  RE_INDEXED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The outcome of a wire name; null for null. */
  public static FileOutcome fromWireName(String wireName) {
    if (wireName == null) {
      return null;
    }
    for (FileOutcome outcome : values()) {
      if (outcome.wireName().equals(wireName)) {
        return outcome;
      }
    }
    throw new IllegalArgumentException("unknown file outcome '" + wireName + "', must be one of "
        + Arrays.stream(values()).map(FileOutcome::wireName).toList());
  }
}
