package rag.query.generate;

import java.util.Objects;

/** A model server gave no answer. {@link #kind()} says why; the message names the server, never its key. */
public final class ModelException extends RuntimeException {

  public enum Kind {
    /** The server could not be reached, or answered 5xx or 429: try again later or elsewhere. */
    UNAVAILABLE,
    /** The server rejected the request with a 4xx, e.g. the prompt is longer than its window or the model is unknown. */
    REFUSED,
    /** No complete answer within the endpoint's timeout. */
    TIMEOUT,
    /** The server answered with something that is not an OpenAI chat completion. */
    BAD_RESPONSE
  }

  private final Kind kind;
  private final Integer httpStatus;
  private final String serverMessage;

  public ModelException(Kind kind, Integer httpStatus, String serverMessage, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.httpStatus = httpStatus;
    this.serverMessage = serverMessage;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status the server answered with, or null when there was none (connection failed, timeout). */
  public Integer httpStatus() {
    return httpStatus;
  }

  /** What the server said about the error (the {@code message} of its error body), or null. */
  public String serverMessage() {
    return serverMessage;
  }
}
