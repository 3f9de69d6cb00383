package rag.app.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.core.multipart.MultipartParser;
import rag.query.GenerationFailedException;
import rag.query.generate.ModelException;
import rag.storage.catalog.StorageException;
import rag.storage.embed.EmbeddingException;

/**
 * The one place that turns exceptions into {@code application/problem+json}. Responses never carry
 * a stack trace or a class name; unexpected errors are logged with an id that the response quotes.
 */
public class ProblemMapper {
  public static final String PROBLEM_JSON = "application/problem+json";
  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  @Inject
  ObjectMapper json;

  @ServerExceptionMapper
  public Response problem(ProblemException e, UriInfo uri) {
    Response r = respond(Problem.of(e.type(), e.getMessage(), path(uri)));
    if (e instanceof CollectionContentResource.QueueFull) {
      return Response.fromResponse(r).header("Retry-After", "30").build();
    }
    return r;
  }

  @ServerExceptionMapper
  public Response illegalArgument(IllegalArgumentException e, UriInfo uri) {
    return respond(Problem.of(ProblemType.BAD_REQUEST, e.getMessage(), path(uri)));
  }

  /** The model server failed: 503 when it is down or too slow, 502 when it refused or answered nonsense; the plan is included. */
  @ServerExceptionMapper
  public Response generationFailed(GenerationFailedException e, UriInfo uri) {
    ModelException m = e.modelFailure();
    ProblemType type = switch (m.kind()) {
      case UNAVAILABLE -> ProblemType.MODEL_UNAVAILABLE;
      case TIMEOUT -> ProblemType.MODEL_TIMEOUT;
      case REFUSED -> ProblemType.MODEL_REFUSED;
      case BAD_RESPONSE -> ProblemType.MODEL_BAD_RESPONSE;
    };
    LOG.warnf("generation failed (%s): %s", m.kind(), m.getMessage());
    return respond(Problem.of(type, m.getMessage(), path(uri)).withPlan(QueryViews.plan(e.plan())));
  }

  /**
   * The embedding server could not embed a search's question: 503 when it is down, too slow or overloaded, 502 when
   * it refused (key, model, input) or answered nonsense.
   */
  @ServerExceptionMapper
  public Response embeddingFailed(EmbeddingException e, UriInfo uri) {
    ProblemType type = switch (e.failure()) {
      case UNREACHABLE, TIMEOUT, SERVER_ERROR -> ProblemType.EMBEDDING_UNAVAILABLE;
      case UNAUTHORIZED, REQUEST_REJECTED, BAD_RESPONSE -> ProblemType.EMBEDDING_FAILED;
    };
    LOG.warnf("embedding failed (%s): %s", e.failure(), e.getMessage());
    return respond(Problem.of(type, "the question could not be embedded: " + e.getMessage(), path(uri)));
  }

  @ServerExceptionMapper
  public Response storage(StorageException e, UriInfo uri) {
    String id = UUID.randomUUID().toString();
    LOG.errorf(e, "storage failure %s", id);
    return respond(Problem.of(ProblemType.STORAGE_UNAVAILABLE,
        "the archive's storage failed to answer (error id " + id + "); try again later", path(uri)));
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e, UriInfo uri) {
    int status = e.getResponse().getStatus();
    if (status == 404 && e.getCause() instanceof IllegalArgumentException bad) {
      // JAX-RS answers a query or path parameter it cannot convert (?from=abc) with 404; it is the request's fault
      return respond(Problem.of(ProblemType.BAD_REQUEST, "a parameter has an illegal value: " + bad.getMessage(),
          path(uri)));
    }
    ProblemType type = switch (status) {
      case 404 -> ProblemType.NOT_FOUND;
      case 405 -> ProblemType.METHOD_NOT_ALLOWED;
      case 406 -> ProblemType.NOT_ACCEPTABLE;
      case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
      default -> status >= 500 ? ProblemType.INTERNAL : ProblemType.BAD_REQUEST;
    };
    String detail = status == 404 ? "no resource at " + path(uri) : e.getMessage();
    Problem p = new Problem(type.uri(), type.title(), status, detail, path(uri), null, null, null);
    return respond(p);
  }

  /** A part's headers broke off (a bare line break in a file name: browsers send it as %0A) or the body ended early. */
  @ServerExceptionMapper
  public Response malformedMultipart(MultipartParser.MalformedMessageException e, UriInfo uri) {
    return respond(Problem.of(ProblemType.BAD_REQUEST, "the multipart body is malformed: a part's headers hold a bare"
        + " line break (a file name must not contain one: browsers send it as %0A)"
        + " or the body ends before its closing boundary", path(uri)));
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e, UriInfo uri) {
    String id = UUID.randomUUID().toString();
    LOG.errorf(e, "unexpected error %s", id);
    return respond(Problem.of(ProblemType.INTERNAL, "unexpected error (error id " + id + ", see the server log)",
        path(uri)));
  }

  private static String path(UriInfo uri) {
    return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
  }

  Response respond(Problem p) {
    try {
      return Response.status(p.status()).type(PROBLEM_JSON).entity(json.writeValueAsString(p)).build();
    } catch (JsonProcessingException e) {
      return Response.status(p.status()).type(PROBLEM_JSON)
          .entity("{\"type\":\"" + p.type() + "\",\"status\":" + p.status() + "}").build();
    }
  }
}
