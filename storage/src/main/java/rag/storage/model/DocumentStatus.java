package rag.storage.model;

import java.util.Locale;

/** How far a published document version has come. Unpublished (staged) versions are never listed. */
public enum DocumentStatus {
  /** Parsed, chunked and in the lexical index: BM25 and whole-document use work; vectors pending. */
  SEARCHABLE,
  /** Also embedded: every chunk is in the vector index. */
  READY,
  /** Embedding failed after the document became searchable; {@code error} says why. */
  FAILED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
