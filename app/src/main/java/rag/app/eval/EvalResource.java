package rag.app.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import rag.app.api.ProblemException;
import rag.storage.keys.AccessLevel;
import rag.app.api.StrictJson;
import rag.app.eval.EvalViews.RunDetail;
import rag.app.eval.EvalViews.RunList;
import rag.app.eval.EvalViews.RunState;
import rag.app.security.Audit;
import rag.app.security.AuditContext;
import rag.app.security.Caller;
import rag.app.security.CurrentCaller;
import rag.eval.qa.QaComparison;
import rag.eval.qa.QaRun;
import rag.eval.report.ReportRenderer;
import rag.app.security.Requires;
import rag.app.security.Requires.On;
import rag.storage.keys.KeyScope;
import rag.storage.problem.ProblemType;

/**
 * Evaluation runs over HTTP: submit a needle-in-a-haystack grid or a retrieval-accuracy run (202 with the run),
 * follow it, read its result as JSON and its report as a self-contained HTML page.
 */
@Path("/api/eval")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Evaluation", description = "Needle-in-a-haystack grids and retrieval accuracy on BEIR datasets")
public class EvalResource {
  @Inject
  CurrentCaller caller;

  @Inject
  AuditContext audit;

  @Inject
  EvalRuns runs;

  @Inject
  ObjectMapper json;

  @POST
  @Path("/niah")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Start a needle-in-a-haystack run; 202 with the run (Location: /api/eval/runs/{runId})")
  @APIResponse(responseCode = "202", description = "Queued", content = @Content(schema = @Schema(
      implementation = RunState.class)))
  @APIResponse(responseCode = "400", description = "Bad settings, an unknown field or a value of the wrong type"
      + " (application/problem+json)")
  @APIResponse(responseCode = "403", description = "haystackPath outside rag.ingest.allowed-roots")
  @APIResponse(responseCode = "503", description = "Too many runs waiting; Retry-After")
  @Requires(on = On.NOTHING, scopes = KeyScope.EVAL)
  @Audit("eval-started")
  public Response niah(@RequestBody(content = @Content(schema = @Schema(implementation = NiahRequest.class)))
      JsonNode body) {
    NiahRequest request = new StrictJson(json).read(body, NiahRequest.class);
    Caller me = caller.get();
    requireReadable(request.collection());
    if (request.haystackPath() != null) {
      requireServerFolders(me, "haystackPath");
    }
    audit.collection(request.collection());
    return accepted(runs.submit(request));
  }

  @POST
  @Path("/retrieval")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Start a retrieval-accuracy run on a BEIR dataset; 202 with the run")
  @APIResponse(responseCode = "202", description = "Queued", content = @Content(schema = @Schema(
      implementation = RunState.class)))
  @APIResponse(responseCode = "400", description = "Bad settings (application/problem+json)")
  @APIResponse(responseCode = "403", description = "datasetPath outside rag.ingest.allowed-roots")
  @APIResponse(responseCode = "503", description = "Too many runs waiting; Retry-After")
  @Requires(on = On.NOTHING, scopes = KeyScope.EVAL)
  @Audit("eval-started")
  public Response retrieval(@RequestBody(required = true, content = @Content(schema = @Schema(
      implementation = RetrievalRequest.class))) JsonNode body) {
    RetrievalRequest request = new StrictJson(json).read(body, RetrievalRequest.class);
    if (request.datasetPath() != null) {
      requireServerFolders(caller.get(), "datasetPath");
    }
    return accepted(runs.submit(request));
  }

  @POST
  @Path("/budgets")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Start a retrieval-budget sweep: questions over a collection asked at each budget against a"
      + " profile's model; 202 with the run")
  @APIResponse(responseCode = "202", description = "Queued", content = @Content(schema = @Schema(
      implementation = RunState.class)))
  @APIResponse(responseCode = "400", description = "Bad settings (application/problem+json)")
  @APIResponse(responseCode = "503", description = "Too many runs waiting; Retry-After")
  @Requires(on = On.NOTHING, scopes = KeyScope.EVAL)
  @Audit("eval-started")
  public Response budgets(@RequestBody(required = true, content = @Content(schema = @Schema(
      implementation = BudgetRequest.class))) JsonNode body) {
    BudgetRequest request = new StrictJson(json).read(body, BudgetRequest.class);
    requireReadable(request.collection());
    audit.collection(request.collection());
    return accepted(runs.submit(request));
  }

  @POST
  @Path("/qa")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Start a retrieval-accuracy run over a collection with a stored question set or inline"
      + " questions; 202 with the run")
  @APIResponse(responseCode = "202", description = "Queued", content = @Content(schema = @Schema(
      implementation = RunState.class)))
  @APIResponse(responseCode = "400", description = "Bad settings or questions (application/problem+json)")
  @APIResponse(responseCode = "503", description = "Too many runs waiting; Retry-After")
  @Requires(on = On.NOTHING, scopes = KeyScope.EVAL)
  @Audit("eval-started")
  public Response qa(@RequestBody(required = true, content = @Content(schema = @Schema(
      implementation = QaRequest.class))) JsonNode body) {
    QaRequest request = new StrictJson(json).read(body, QaRequest.class);
    requireReadable(request.collection());
    audit.collection(request.collection());
    return accepted(runs.submit(request));
  }

  @POST
  @Path("/draft")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Start drafting a question set from a collection with a profile's model (sampled chunks, one"
      + " question and answer each, every question marked drafted); the set is stored with the collection when the"
      + " run succeeds; 202 with the run")
  @APIResponse(responseCode = "202", description = "Queued", content = @Content(schema = @Schema(
      implementation = RunState.class)))
  @APIResponse(responseCode = "400", description = "Bad settings, or a profile without a model server"
      + " (application/problem+json)")
  @APIResponse(responseCode = "409", description = "The collection already has a set of that name")
  @APIResponse(responseCode = "503", description = "Too many runs waiting; Retry-After")
  @Requires(on = On.NOTHING, scopes = KeyScope.EVAL)
  @Audit("eval-started")
  public Response draft(@RequestBody(required = true, content = @Content(schema = @Schema(
      implementation = DraftRequest.class))) JsonNode body) {
    DraftRequest request = new StrictJson(json).read(body, DraftRequest.class);
    requireReadable(request.collection());
    if (request.collection() != null && caller.get().levelIn(request.collection())
        .filter(l -> l.includes(AccessLevel.WRITE)).isEmpty()) {
      throw new ProblemException(ProblemType.FORBIDDEN, "drafting stores a question set with collection '"
          + request.collection() + "': this key may not write it");
    }
    audit.collection(request.collection());
    return accepted(runs.submit(request));
  }

  @GET
  @Path("/compare")
  @Operation(summary = "Two succeeded retrieval-accuracy (qa) runs side by side: metric deltas per retriever, each"
      + " question's rank before and after, regressions and improvements")
  @Requires(on = On.NOTHING, scopes = KeyScope.EVAL)
  public QaComparison compare(@QueryParam("base") String base, @QueryParam("run") String run) {
    return comparison(base, run);
  }

  @GET
  @Path("/compare.html")
  @Produces(MediaType.TEXT_HTML)
  @Operation(summary = "The comparison of two qa runs as an HTML page, regressions marked")
  @Requires(on = On.NOTHING, scopes = KeyScope.EVAL)
  public String compareHtml(@QueryParam("base") String base, @QueryParam("run") String run) {
    return new ReportRenderer().renderComparison(comparison(base, run));
  }

  private QaComparison comparison(String base, String run) {
    if (base == null || run == null) {
      throw ProblemException.badRequest("give the two runs: ?base=<runId>&run=<runId>");
    }
    return QaComparison.of(base, qaResult(base), run, qaResult(run));
  }

  private QaRun.Result qaResult(String runId) {
    RunState state = runs.state(runId).orElseThrow(() -> ProblemException.notFound("evaluation run", runId));
    if (!state.kind().equals("qa") || !state.state().equals("succeeded")) {
      throw ProblemException.badRequest("run " + runId + " is a " + state.state() + " " + state.kind() + " run: only"
          + " succeeded qa runs compare");
    }
    JsonNode result = runs.result(runId).orElseThrow(() -> ProblemException.notFound("evaluation run", runId));
    try {
      return json.copy().configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
          false).treeToValue(result, QaRun.Result.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the result of run " + runId + " cannot be read: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * A run over a collection the caller cannot read gets the answer for a collection that does not exist: a key learns
   * nothing about collections it cannot read.
   */
  private void requireReadable(String collection) {
    if (collection != null && !caller.get().canRead(collection)) {
      throw ProblemException.badRequest("there is no collection '" + collection + "'");
    }
  }

  /** Reading the server's folders needs the ingest-path scope besides eval. */
  private static void requireServerFolders(Caller caller, String field) {
    if (!caller.has(KeyScope.INGEST_PATH)) {
      throw new ProblemException(ProblemType.FORBIDDEN, field + " reads the server's folders: this key lacks the"
          + " scope 'ingest-path'");
    }
  }

  @GET
  @Path("/runs")
  @Operation(summary = "Every evaluation run kept under the data directory, newest first")
  @Requires(on = On.NOTHING, scopes = KeyScope.EVAL)
  public RunList list() {
    return new RunList(runs.list());
  }

  @GET
  @Path("/runs/{runId}")
  @Operation(summary = "A run: state, progress, settings and (once succeeded) its result")
  @Requires(on = On.NOTHING, scopes = KeyScope.EVAL)
  public RunDetail run(@PathParam("runId") String runId) {
    RunState state = runs.state(runId).orElseThrow(() -> ProblemException.notFound("evaluation run", runId));
    return RunDetail.of(state, runs.settings(runId).orElse(null),
        state.state().equals("succeeded") ? runs.result(runId).orElse(null) : null);
  }

  @GET
  @Path("/runs/{runId}/report.html")
  @Produces(MediaType.TEXT_HTML)
  @Operation(summary = "The run's report: one self-contained HTML page (heatmap or metric tables, settings,"
      + " profile and model, timings)")
  @Requires(on = On.NOTHING, scopes = KeyScope.EVAL)
  public Response report(@PathParam("runId") String runId) {
    RunState state = runs.state(runId).orElseThrow(() -> ProblemException.notFound("evaluation run", runId));
    java.nio.file.Path report = runs.report(runId).orElseThrow(() -> ProblemException.notFound(
        "report (the run is " + state.state() + ") for evaluation run", runId));
    return Response.ok(report.toFile(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
  }

  private static Response accepted(RunState state) {
    return Response.accepted(state).location(URI.create("/api/eval/runs/" + state.runId())).build();
  }
}
