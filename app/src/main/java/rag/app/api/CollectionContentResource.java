package rag.app.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import rag.app.api.JobViews.IngestPathRequest;
import rag.app.api.JobViews.JobView;
import rag.app.api.Views.DocumentPage;
import rag.app.api.Views.DocumentView;
import rag.ingest.IngestService;
import rag.storage.Archive;
import rag.storage.model.CollectionStats;
import rag.ingest.intake.Upload;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.IngestJob;
import rag.storage.model.CollectionNames;
import rag.storage.problem.ProblemType;
import rag.app.security.Audit;
import rag.app.security.AuditContext;
import rag.app.security.CurrentCaller;
import rag.app.security.KeyLimits;
import rag.app.security.Requires;
import rag.app.security.Requires.On;
import rag.storage.keys.AccessLevel;
import rag.storage.keys.KeyScope;

@Produces(MediaType.APPLICATION_JSON)
@Path("/api/collections/{collection}")
public class CollectionContentResource {
  @Inject
  CurrentCaller caller;

  @Inject
  KeyLimits limits;

  @Inject
  AuditContext audit;

  @Inject
  IngestService ingest;

  @Inject
  Archive archive;

  @GET
  @Path("/documents")
  @Operation(summary = "Documents of a collection, by source path")
  @Requires(on = On.COLLECTION)
  public DocumentPage documents(@PathParam("collection") String collection,
      @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("100") int limit) {
    ProblemException.requireRange("offset", offset, 0, Integer.MAX_VALUE);
    ProblemException.requireRange("limit", limit, 1, 1000);
    CollectionStats stats = CollectionsResource.requireCollection(archive, collection);
    List<DocumentView> docs = archive.reader().list(collection, offset, limit).stream().map(DocumentView::of).toList();
    return new DocumentPage(collection, offset, limit, stats.documentCount(), docs);
  }

  @POST
  @Path("/documents")
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Operation(summary = "Upload files (parts named 'file'; zip and tar archives are expanded); 202 with the job")
  @Requires(on = On.COLLECTION, level = AccessLevel.WRITE)
  @Audit("upload")
  public Response upload(@PathParam("collection") String collection, @RestForm("file") List<FileUpload> files,
      @RestForm("path") String path) throws IOException, IngestService.QueueFullException {
    requireCollectionName(collection);
    if (files == null || files.isEmpty()) {
      throw ProblemException.badRequest("no file: send one or more multipart parts named 'file'");
    }
    limits.chargeUpload(caller.get().keyId(), files.stream().mapToLong(FileUpload::size).sum());
    List<Upload> uploads = files.stream().map(f -> new Upload(UploadNames.fileName(f), path, f.uploadedFile())).toList();
    IngestJob job;
    try (KeyLimits.IngestRoom room = ingestRoom()) {
      job = ingest.submit(collection, uploads);
      room.started(job.id());
    }
    boolean allTooLarge = job.files().stream().allMatch(f -> f.status() == FileStatus.FAILED
        && f.error() != null && f.error().is(ProblemType.TOO_LARGE));
    if (allTooLarge) {
      throw new ProblemException(ProblemType.TOO_LARGE, job.files().get(0).error().detail());
    }
    return accepted(job);
  }

  @POST
  @Path("/ingest-path")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Ingest a server folder recursively (only under rag.ingest.allowed-roots); 202 with the job")
  @Requires(on = On.COLLECTION, level = AccessLevel.WRITE, scopes = KeyScope.INGEST_PATH)
  @Audit("ingest-path")
  public Response ingestPath(@PathParam("collection") String collection, IngestPathRequest body)
      throws IOException, IngestService.QueueFullException, IngestService.ForbiddenPathException {
    requireCollectionName(collection);
    if (body == null || body.path() == null || body.path().isBlank()) {
      throw ProblemException.badRequest("send {\"path\": \"/server/folder\"}");
    }
    try (KeyLimits.IngestRoom room = ingestRoom()) {
      IngestJob job = ingest.submitFolder(collection, java.nio.file.Path.of(body.path()));
      room.started(job.id());
      return accepted(job);
    }
  }

  @POST
  @Path("/reindex")
  @Operation(summary = "Re-embed every document lacking vectors of the configured embedding model; the collection"
      + " switches to the new vectors once all have them (BM25 and its old vectors serve until then); 202 with the job")
  @Requires(on = On.COLLECTION, level = AccessLevel.WRITE)
  @Audit("reindex")
  public Response reindex(@PathParam("collection") String collection) {
    CollectionsResource.requireCollection(archive, collection);
    try (KeyLimits.IngestRoom room = ingestRoom()) {
      IngestJob job = ingest.reindex(collection);
      room.started(job.id());
      return accepted(job);
    }
  }

  /** Room for one more ingest job of the caller's key (rag.security.limits.concurrent-ingest-jobs). */
  private KeyLimits.IngestRoom ingestRoom() {
    return limits.reserveIngestJob(caller.get().keyId(), jobId -> archive.jobs().find(jobId)
        .map(j -> j.state() == IngestJob.State.QUEUED || j.state() == IngestJob.State.RUNNING).orElse(false));
  }

  private Response accepted(IngestJob job) {
    audit.target("job " + job.id());
    return Response.accepted(JobView.of(job)).location(URI.create("/api/jobs/" + job.id())).build();
  }

  private static void requireCollectionName(String collection) {
    if (!CollectionNames.isValidName(collection)) {
      throw ProblemException.badRequest("illegal collection name '" + collection
          + "': use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
  }
}
