package rag.storage.embed;

/**
 * An embedding server could not turn texts into vectors. The message names the server and the
 * model (never a credential); {@link #failure()} says what kind of problem it was.
 */
public class EmbeddingException extends RuntimeException {
  /** What went wrong, so callers can tell a server that is down from one that is misconfigured. */
  public enum Failure {
    /** No connection: refused, unknown host, network unreachable. */
    UNREACHABLE,
    /** No complete answer within the configured timeout. */
    TIMEOUT,
    /** HTTP 401 or 403: the API key is missing or wrong. */
    UNAUTHORIZED,
    /** Any other HTTP 4xx: unknown model, input too long, bad request. */
    REQUEST_REJECTED,
    /** HTTP 5xx or 429: the server is failing or overloaded; worth trying again later. */
    SERVER_ERROR,
    /** An answer that is not a usable embeddings response: bad JSON, wrong number of vectors, wrong dimension. */
    BAD_RESPONSE,
  }

  private final Failure failure;

  public EmbeddingException(Failure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  public EmbeddingException(Failure failure, String message) {
    this(failure, message, null);
  }

  public Failure failure() {
    return failure;
  }
}
