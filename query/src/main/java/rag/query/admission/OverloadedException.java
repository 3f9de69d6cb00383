package rag.query.admission;

/** A {@link Bulkhead} refused work: its capacity and its waiting places were taken, or the wait ran out. */
public final class OverloadedException extends RuntimeException {
  private final String bound;

  public OverloadedException(String bound, String message) {
    super(message);
    this.bound = bound;
  }

  /** The name of the bulkhead that refused, e.g. {@code model:qwen3}. */
  public String bound() {
    return bound;
  }
}
