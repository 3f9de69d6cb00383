package rag.app.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import rag.app.api.JobViews.JobView;
import rag.storage.Archive;
import rag.app.security.CurrentCaller;
import rag.app.security.Requires;
import rag.app.security.Requires.On;

@Produces(MediaType.APPLICATION_JSON)
@Path("/api/jobs")
public class JobsResource {
  @Inject
  CurrentCaller caller;

  @Inject
  Archive archive;

  @GET
  @Path("/{jobId}")
  @Operation(summary = "An ingest job: state, progress and every file's status")
  @Requires(on = On.JOB)
  public JobView job(@PathParam("jobId") String jobId) {
    return archive.jobs().find(jobId).map(JobView::of).orElseThrow(() -> ProblemException.notFound("job", jobId));
  }

  @GET
  @Operation(summary = "Recent ingest jobs, newest first")
  @Requires(on = On.NOTHING)
  public List<JobView> jobs(@QueryParam("limit") @DefaultValue("50") int limit) {
    ProblemException.requireRange("limit", limit, 1, 1000);
    return archive.jobs().recent(limit).stream().filter(j -> caller.get().canRead(j.collection())).map(JobView::of)
        .toList();
  }

}
