package rag.ingest.parse;

/** Why a file could not be ingested; each kind is a fixed problem type at the API. */
public enum FailureKind {
  EMPTY("empty", "Empty file"),
  ENCRYPTED("encrypted", "Encrypted document"),
  CORRUPT("corrupt", "Corrupt or truncated file"),
  UNSUPPORTED("unsupported-type", "Unsupported file type"),
  NO_TEXT("no-text", "No text found"),
  TOO_LARGE("too-large", "File too large"),
  TIMEOUT("parse-timeout", "Parsing timed out"),
  HOSTILE("hostile-input", "Refused hostile input");

  private final String slug;
  private final String title;

  FailureKind(String slug, String title) {
    this.slug = slug;
    this.title = title;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }
}
