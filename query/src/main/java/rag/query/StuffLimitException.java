package rag.query;

/** A stuffed prompt over the caller's own limit of prompt tokens, in mode {@code stuff}. */
public final class StuffLimitException extends RuntimeException {
  public StuffLimitException(String message) {
    super(message);
  }
}
