package rag.ingest.intake;

import rag.ingest.parse.FailureKind;

/** A file refused at intake (too large, hostile name, zip bomb), before any parsing. */
public final class IntakeRefusal extends Exception {
  private final FailureKind kind;

  public IntakeRefusal(FailureKind kind, String detail) {
    super(detail);
    this.kind = kind;
  }

  public FailureKind kind() {
    return kind;
  }
}
