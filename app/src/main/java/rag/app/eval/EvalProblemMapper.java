package rag.app.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import rag.app.api.Problem;
import rag.app.api.ProblemMapper;

/**
 * Answers a full evaluation queue with 503 {@code application/problem+json} and {@code Retry-After}; every other
 * error of the evaluation API goes through {@link ProblemMapper}.
 */
public class EvalProblemMapper {
  static final String QUEUE_FULL_TYPE = "/problems/eval-queue-full";

  @Inject
  ObjectMapper json;

  @ServerExceptionMapper
  public Response queueFull(EvalQueueFullException e, UriInfo uri) throws JsonProcessingException {
    Problem problem = new Problem(QUEUE_FULL_TYPE, "Evaluation queue full", 503, e.getMessage(),
        "/" + uri.getPath().replaceFirst("^/", ""), null, null, null);
    return Response.status(503).type(ProblemMapper.PROBLEM_JSON).header("Retry-After", "60")
        .entity(json.writeValueAsString(problem)).build();
  }
}
