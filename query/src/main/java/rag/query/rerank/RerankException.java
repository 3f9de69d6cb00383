package rag.query.rerank;

/** The rerank server failed or gave an answer that cannot be used; the message says which, for plans to show. */
public final class RerankException extends RuntimeException {
  public RerankException(String message) {
    super(message);
  }

  public RerankException(String message, Throwable cause) {
    super(message, cause);
  }
}
