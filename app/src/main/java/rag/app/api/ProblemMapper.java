package rag.app.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import rag.storage.problem.ProblemType;

/**
 * Answers every exception with {@code application/problem+json}, as {@link Problems} maps it, with {@code Retry-After}
 * where the problem type says when to try again.
 */
public class ProblemMapper {
  public static final String PROBLEM_JSON = "application/problem+json";

  @Inject
  ObjectMapper json;

  /** Quarkus picks the most specific mapper: this one keeps JAX-RS' own 404/405/415 answers out of the default. */
  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e, UriInfo uri) {
    return respond(Problems.of(e, path(uri)));
  }

  @ServerExceptionMapper
  public Response any(Throwable e, UriInfo uri) {
    return respond(Problems.of(e, path(uri)));
  }

  static String path(UriInfo uri) {
    return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
  }

  Response respond(Problem p) {
    Response.ResponseBuilder answer = Response.status(p.status()).type(PROBLEM_JSON);
    if (p.status() == 401) {
      answer.header("WWW-Authenticate", "Bearer");
    }
    ProblemType.ofUri(p.type()).ifPresent(type -> type.retryAfterSeconds()
        .ifPresent(seconds -> answer.header("Retry-After", String.valueOf(seconds))));
    try {
      return answer.entity(json.writeValueAsString(p)).build();
    } catch (JsonProcessingException e) {
      return answer.entity("{\"type\":\"" + p.type() + "\",\"status\":" + p.status() + "}").build();
    }
  }
}
