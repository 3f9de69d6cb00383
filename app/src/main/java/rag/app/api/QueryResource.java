package rag.app.api;

import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import rag.app.api.QueryViews.AnswerView;
import rag.app.api.QueryViews.PlanView;
import rag.app.api.QueryViews.QueryBody;
import rag.query.Answer;
import rag.query.QueryPipeline;
import rag.query.admission.Bulkhead;
import rag.query.QueryRequest;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.storage.Archive;
import rag.storage.model.SearchFilter;
import rag.app.security.CurrentCaller;
import rag.app.security.Audit;
import rag.app.security.AuditContext;
import rag.app.security.AuditLog;
import rag.app.security.KeyLimits;
import rag.app.security.Requires;
import rag.app.security.Requires.On;

/** Questions over a collection: the answer with citations and its plan, or the plan alone. */
@Path("/api/collections/{collection}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class QueryResource {
  @Inject
  KeyLimits limits;

  @Inject
  AuditContext audit;

  @Inject
  CurrentCaller caller;

  @Inject
  Archive archive;

  @Inject
  QueryPipeline pipeline;

  @Inject
  RoutingContext routing;

  @POST
  @Path("/query")
  @Operation(summary = "Answer a question over the collection, with citations and the plan (502/503 when the"
      + " model server fails, with the plan in the problem)")
  @Requires(on = On.COLLECTION)
  @Audit("query")
  public AnswerView query(@PathParam("collection") String collection, QueryBody body) {
    QueryRequest request = request(collection, body);
    Answer answer = AnswerStream.startFor(routing, sink -> pipeline.answer(request, sink)).result();
    audit.detail(AuditLog.cited(answer.citations()));
    return QueryViews.answer(answer);
  }

  @POST
  @Path("/plan")
  @Operation(summary = "The plan for a question (stuff or retrieve, and why); includePrompt=true adds the prompt")
  @Requires(on = On.COLLECTION)
  public PlanView plan(@PathParam("collection") String collection, QueryBody body,
      @QueryParam("includePrompt") boolean includePrompt) {
    QueryRequest request = request(collection, body);
    Plan plan = pipeline.plan(request, null);
    PlanView view = QueryViews.plan(plan);
    if (!includePrompt) {
      return view;
    }
    StringBuilder text = new StringBuilder();
    try (Bulkhead.Permit permit = pipeline.admit(plan)) {
      pipeline.prompt(plan, request.question(), null).writeTo(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return view.withPrompt(text.toString());
  }

  QueryRequest request(String collection, QueryBody body) {
    CollectionsResource.requireCollection(archive, collection);
    if (body == null || body.question() == null || body.question().isBlank()) {
      throw ProblemException.badRequest("the request needs a non-empty \"question\"");
    }
    SearchFilter scope = QueryViews.Filters.scope(collection, body.filters(), caller.get());
    return new QueryRequest(body.question(), scope, body.profile(), Mode.parse(body.mode()), body.topK(),
        limits.stuffLimit(caller.get()));
  }
}
