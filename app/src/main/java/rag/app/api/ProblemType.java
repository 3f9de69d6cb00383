package rag.app.api;

/** The fixed problem types of the API; {@code type} URIs are relative to the service. */
public enum ProblemType {
  NOT_FOUND(404, "not-found", "Resource not found"),
  BAD_REQUEST(400, "bad-request", "Bad request"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
  NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
  STORAGE_UNAVAILABLE(503, "storage-unavailable", "Storage unavailable"),
  QUEUE_FULL(503, "queue-full", "Ingest queue full"),
  FORBIDDEN_PATH(403, "forbidden-path", "Path not allowed"),
  TOO_LARGE(413, "too-large", "File too large"),
  MODEL_UNAVAILABLE(503, "model-unavailable", "Model server unavailable"),
  MODEL_TIMEOUT(503, "model-timeout", "Model server too slow"),
  MODEL_REFUSED(502, "model-refused", "Model server refused the prompt"),
  MODEL_BAD_RESPONSE(502, "model-bad-response", "Model server gave an unusable answer"),
  EMBEDDING_UNAVAILABLE(503, "embedding-unavailable", "Embedding server unavailable"),
  /** The slug and title of the ingest jobs' per-file embedding failures, so both say the same. */
  EMBEDDING_FAILED(502, "embedding-failed", "Embedding failed"),
  INTERNAL(500, "internal-error", "Internal error");

  private final int status;
  private final String slug;
  private final String title;

  ProblemType(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String uri() {
    return "/problems/" + slug;
  }

  public String title() {
    return title;
  }
}
