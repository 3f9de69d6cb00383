package rag.ingest.parse;

/** A file that cannot be ingested, with a precise reason for the person who uploaded it. */
public final class ParseFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final FailureKind kind;

  public ParseFailure(FailureKind kind, String detail) {
    super(detail);
    this.kind = kind;
  }

  public ParseFailure(FailureKind kind, String detail, Throwable cause) {
    super(detail, cause);
    this.kind = kind;
  }

  public FailureKind kind() {
    return kind;
  }
}
