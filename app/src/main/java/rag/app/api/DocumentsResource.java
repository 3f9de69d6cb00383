package rag.app.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import rag.app.api.Views.ChunkView;
import rag.app.api.Views.DocumentView;
import rag.ingest.intake.Originals;
import rag.storage.Archive;
import rag.storage.model.Document;

@Path("/api/documents/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class DocumentsResource {
  @Inject
  Archive archive;

  @GET
  @Operation(summary = "A document's catalog entry (its published version)")
  public DocumentView get(@PathParam("id") String id) {
    return DocumentView.of(require(id));
  }

  @GET
  @Path("/chunks")
  @Operation(summary = "The document's chunks in order, with provenance (pages, lines, times, speaker, section)")
  public List<ChunkView> chunks(@PathParam("id") String id) {
    Document d = require(id);
    return archive.catalog().chunks(d.id(), d.version()).stream().map(ChunkView::of).toList();
  }

  @DELETE
  @Operation(summary = "Remove the document from the catalog and every index")
  public Response delete(@PathParam("id") String id) {
    if (!archive.delete(id)) {
      throw ProblemException.notFound("document", id);
    }
    originals.delete(id);
    return Response.noContent().build();
  }

  @GET
  @Path("/original")
  @Produces(MediaType.WILDCARD)
  @Operation(summary = "The document's original file, as uploaded (its media type; inline)")
  public Response original(@PathParam("id") String id) {
    Document d = require(id);
    java.nio.file.Path file = originals.find(id).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
        "the original of document '" + id + "' was not kept (ingested before originals were kept)"));
    return Response.ok(file.toFile(), d.mediaType())
        .header("Content-Disposition", "inline; filename=\"" + d.sourceName().replace("\"", "") + "\"")
        .header("X-Content-Type-Options", "nosniff")
        .header("Content-Security-Policy", "sandbox").build();
  }

  @GET
  @Path("/pages/{page}")
  @Produces("image/png")
  @Operation(summary = "One page of a PDF document, rendered as a PNG image (for opening a citation at its page)")
  public Response page(@PathParam("id") String id, @PathParam("page") int page) {
    Document d = require(id);
    if (!"application/pdf".equals(d.mediaType())) {
      throw ProblemException.badRequest("document '" + id + "' is " + d.mediaType() + ", not a PDF");
    }
    java.nio.file.Path file = originals.find(id).orElseThrow(() -> ProblemException.notFound("original of document", id));
    return Response.ok(PdfPages.render(file, page)).type("image/png").header("Cache-Control", "max-age=3600").build();
  }

  @Inject
  Originals originals;

  private Document require(String id) {
    return archive.catalog().find(id).orElseThrow(() -> ProblemException.notFound("document", id));
  }
}
