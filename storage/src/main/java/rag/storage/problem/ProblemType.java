package rag.storage.problem;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Every problem type the service reports, in one place: the HTTP API's {@code application/problem+json} answers, the
 * chat stream's {@code error} events, failed evaluation runs and the per-file errors of ingest jobs all use these
 * URIs and titles. A type's URI is relative to the service ({@code /problems/<slug>}) and never changes: clients and
 * stored job files depend on it.
 */
public enum ProblemType {
  // the request
  BAD_REQUEST(400, "bad-request", "Bad request"),
  FORBIDDEN_PATH(403, "forbidden-path", "Path not allowed"),
  UNAUTHORIZED(401, "unauthorized", "API key required"),
  FORBIDDEN(403, "forbidden", "Not allowed for this key"),
  NOT_FOUND(404, "not-found", "Resource not found"),
  CONFLICT(409, "conflict", "Already exists"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
  MISDIRECTED(421, "misdirected", "Not served by this instance"),

  // capacity and the service's own parts
  QUEUE_FULL(503, "queue-full", "Ingest queue full", 30),
  OVERLOADED(503, "overloaded", "Service busy", 2),
  STOPPING(503, "stopping", "Service stopping", 5),
  CLIENT_CLOSED(499, "client-closed", "Client closed the request"),
  EVAL_QUEUE_FULL(503, "eval-queue-full", "Evaluation queue full", 60),
  RATE_LIMITED(429, "rate-limited", "Too many requests for this key", 1),
  UPLOAD_QUOTA(429, "upload-quota", "Upload volume of this key used up", 300),
  STUFF_LIMIT(413, "stuff-limit", "Stuffed prompt over this key's limit"),
  HISTORY_LIMIT(413, "history-limit", "Chat history over this key's limit"),
  STORAGE_UNAVAILABLE(503, "storage-unavailable", "Storage unavailable", 5),
  INSUFFICIENT_STORAGE(507, "insufficient-storage", "Not enough disk space", 60),
  INTERNAL(500, "internal-error", "Internal error"),

  // the model and embedding servers
  MODEL_UNAVAILABLE(503, "model-unavailable", "Model server unavailable"),
  MODEL_TIMEOUT(503, "model-timeout", "Model server too slow"),
  MODEL_REFUSED(502, "model-refused", "Model server refused the prompt"),
  MODEL_BAD_RESPONSE(502, "model-bad-response", "Model server gave an unusable answer"),
  EMBEDDING_UNAVAILABLE(503, "embedding-unavailable", "Embedding server unavailable"),
  EMBEDDING_FAILED(502, "embedding-failed", "Embedding failed"),

  // one file of an ingest job (the status applies where a whole upload fails for that reason)
  EMPTY(422, "empty", "Empty file"),
  ENCRYPTED(422, "encrypted", "Encrypted document"),
  CORRUPT(422, "corrupt", "Corrupt or truncated file"),
  UNSUPPORTED_TYPE(415, "unsupported-type", "Unsupported file type"),
  NO_TEXT(422, "no-text", "No text found"),
  TOO_LARGE(413, "too-large", "File too large"),
  PARSE_TIMEOUT(422, "parse-timeout", "Parsing timed out"),
  HOSTILE_INPUT(422, "hostile-input", "Refused hostile input"),
  INGEST_FAILED(500, "ingest-failed", "Ingestion failed"),
  COLLECTION_DELETED(410, "collection-deleted", "Collection deleted");

  private static final String PREFIX = "/problems/";

  private final int status;
  private final String slug;
  private final String title;
  private final int retryAfterSeconds;

  ProblemType(int status, String slug, String title) {
    this(status, slug, title, 0);
  }

  ProblemType(int status, String slug, String title, int retryAfterSeconds) {
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  public String uri() {
    return PREFIX + slug;
  }

  public String title() {
    return title;
  }

  /** How long a client should wait before it tries again, for the types that say so ({@code Retry-After}). */
  public OptionalInt retryAfterSeconds() {
    return retryAfterSeconds == 0 ? OptionalInt.empty() : OptionalInt.of(retryAfterSeconds);
  }

  /** The type whose URI is {@code uri}, if any. */
  public static Optional<ProblemType> ofUri(String uri) {
    return Arrays.stream(values()).filter(t -> t.is(uri)).findFirst();
  }

  /** True when {@code uri} names this type. */
  public boolean is(String uri) {
    return uri().equals(uri);
  }
}
