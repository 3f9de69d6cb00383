package rag.app.api;

import jakarta.ws.rs.WebApplicationException;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.core.multipart.MultipartParser;
import rag.app.eval.EvalQueueFullException;
import rag.ingest.IngestService;
import rag.query.GenerationFailedException;
import rag.query.StuffLimitException;
import rag.query.admission.OverloadedException;
import rag.query.generate.ModelException;
import rag.storage.catalog.StorageException;
import rag.storage.embed.EmbeddingException;
import rag.storage.problem.InvalidInputException;
import rag.storage.problem.ProblemType;

/**
 * The one mapping from failures to problems, used by the HTTP answers ({@link ProblemMapper}), the chat stream's
 * {@code error} event and failed evaluation runs alike. A problem never carries a stack trace or a class name:
 * failures that are the service's own fault are logged with an id that the problem's detail quotes.
 */
public final class Problems {
  private static final Logger LOG = Logger.getLogger(Problems.class);

  private Problems() {}

  /** The problem for {@code failure}; {@code instance} is the request's path, or null outside a request. */
  public static Problem of(Throwable failure, String instance) {
    if (diskFull(failure)) {
      LOG.warnf("a write failed for lack of disk space: %s", failure.toString());
      return Problem.of(ProblemType.INSUFFICIENT_STORAGE, "the service's disk is full: nothing of this request was"
          + " kept; free space in the data directory and try again", instance);
    }
    if (failure instanceof ProblemException p) {
      return Problem.of(p.type(), p.getMessage(), instance);
    }
    if (failure instanceof InvalidInputException bad) {
      return Problem.of(ProblemType.BAD_REQUEST, bad.getMessage(), instance);
    }
    if (failure instanceof GenerationFailedException g) {
      return model(g.modelFailure(), instance).withPlan(QueryViews.plan(g.plan()));
    }
    if (failure instanceof ModelException m) {
      return model(m, instance);
    }
    if (failure instanceof EmbeddingException e) {
      return embedding(e, instance);
    }
    if (failure instanceof StuffLimitException over) {
      return Problem.of(ProblemType.STUFF_LIMIT, over.getMessage(), instance);
    }
    if (failure instanceof OverloadedException busy) {
      return Problem.of(ProblemType.OVERLOADED, busy.getMessage(), instance);
    }
    if (failure instanceof CancellationException) {
      return Problem.of(ProblemType.CLIENT_CLOSED, "the client went away; the request was cancelled", instance);
    }
    if (failure instanceof IngestService.QueueFullException full) {
      return Problem.of(ProblemType.QUEUE_FULL, full.getMessage(), instance);
    }
    if (failure instanceof IngestService.ForbiddenPathException forbidden) {
      return Problem.of(ProblemType.FORBIDDEN_PATH, forbidden.getMessage(), instance);
    }
    if (failure instanceof EvalQueueFullException full) {
      return Problem.of(ProblemType.EVAL_QUEUE_FULL, full.getMessage(), instance);
    }
    if (failure instanceof StorageException) {
      String id = UUID.randomUUID().toString();
      if (StorageException.isTransient(failure)) {
        LOG.warnf("storage unavailable for now %s: %s", id, failure.getMessage()); // an outage or a deadlock, not a bug
      } else {
        LOG.errorf(failure, "storage failure %s", id);
      }
      return Problem.of(ProblemType.STORAGE_UNAVAILABLE,
          "the archive's storage failed to answer (error id " + id + "); try again later", instance);
    }
    if (failure instanceof MultipartParser.MalformedMessageException) {
      // a part's headers broke off (a bare line break in a file name: browsers send it as %0A) or the body ended early
      return Problem.of(ProblemType.BAD_REQUEST, "the multipart body is malformed: a part's headers hold a bare"
          + " line break (a file name must not contain one: browsers send it as %0A)"
          + " or the body ends before its closing boundary", instance);
    }
    if (failure instanceof WebApplicationException web) {
      return web(web, instance);
    }
    String id = UUID.randomUUID().toString();
    LOG.errorf(failure, "unexpected error %s", id);
    return Problem.of(ProblemType.INTERNAL, "unexpected error (error id " + id + ", see the server log)", instance);
  }

  /** A write failed because the disk is full (ENOSPC), anywhere in the cause chain (SQLite says SQLITE_FULL). */
  static boolean diskFull(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("No space left on device") || m.contains("SQLITE_FULL"))) {
        return true;
      }
    }
    return false;
  }

  /** 503 when the model server is down or too slow, 502 when it refused the prompt or answered nonsense. */
  private static Problem model(ModelException m, String instance) {
    ProblemType type = switch (m.kind()) {
      case UNAVAILABLE -> ProblemType.MODEL_UNAVAILABLE;
      case TIMEOUT -> ProblemType.MODEL_TIMEOUT;
      case REFUSED -> ProblemType.MODEL_REFUSED;
      case BAD_RESPONSE -> ProblemType.MODEL_BAD_RESPONSE;
    };
    LOG.warnf("model server failed (%s): %s", m.kind(), m.getMessage());
    return Problem.of(type, m.getMessage(), instance);
  }

  /** 503 when the embedding server is down, too slow or overloaded; 502 when it refused or answered nonsense. */
  private static Problem embedding(EmbeddingException e, String instance) {
    ProblemType type = switch (e.failure()) {
      case UNREACHABLE, TIMEOUT, SERVER_ERROR -> ProblemType.EMBEDDING_UNAVAILABLE;
      case UNAUTHORIZED, REQUEST_REJECTED, BAD_RESPONSE -> ProblemType.EMBEDDING_FAILED;
    };
    LOG.warnf("embedding failed (%s): %s", e.failure(), e.getMessage());
    return Problem.of(type, "the question could not be embedded: " + e.getMessage(), instance);
  }

  private static Problem web(WebApplicationException e, String instance) {
    int status = e.getResponse().getStatus();
    if (status == 404 && e.getCause() instanceof IllegalArgumentException bad) {
      // JAX-RS answers a query or path parameter it cannot convert (?from=abc) with 404; it is the request's fault
      return Problem.of(ProblemType.BAD_REQUEST, "a parameter has an illegal value: " + bad.getMessage(), instance);
    }
    ProblemType type = switch (status) {
      case 404 -> ProblemType.NOT_FOUND;
      case 405 -> ProblemType.METHOD_NOT_ALLOWED;
      case 406 -> ProblemType.NOT_ACCEPTABLE;
      case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
      default -> status >= 500 ? ProblemType.INTERNAL : ProblemType.BAD_REQUEST;
    };
    String detail = status == 404 ? "no resource at " + instance : e.getMessage();
    return new Problem(type.uri(), type.title(), status, detail, instance, null);
  }
}
