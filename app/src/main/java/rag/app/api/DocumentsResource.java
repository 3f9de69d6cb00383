package rag.app.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import rag.app.api.Views.ChunkView;
import rag.app.api.Views.DocumentView;
import rag.ingest.intake.Originals;
import rag.storage.Archive;
import rag.storage.model.Document;
import rag.storage.problem.ProblemType;
import rag.app.security.Audit;
import rag.app.security.AuditContext;
import rag.app.security.Requires;
import rag.app.security.Requires.On;
import rag.storage.keys.AccessLevel;

@Path("/api/documents/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class DocumentsResource {
  @Inject
  AuditContext audit;

  @Inject
  Archive archive;

  @GET
  @Operation(summary = "A document's catalog entry (its published version)")
  @Requires(on = On.DOCUMENT)
  public DocumentView get(@PathParam("id") String id) {
    Document document = require(id);
    return DocumentView.of(document, archive.vectorCount(document));
  }

  @GET
  @Path("/chunks")
  @Operation(summary = "The document's chunks in order, with provenance (pages, lines, times, speaker, section)")
  @Requires(on = On.DOCUMENT)
  public List<ChunkView> chunks(@PathParam("id") String id) {
    Document d = require(id);
    return archive.reader().chunks(d.id(), d.version()).stream().map(ChunkView::of).toList();
  }

  @DELETE
  @Operation(summary = "Remove the document from the catalog and every index")
  @Requires(on = On.DOCUMENT, level = AccessLevel.WRITE)
  @Audit("document-delete")
  public Response delete(@PathParam("id") String id) {
    audit.target(id);
    archive.reader().find(id).ifPresent(d -> audit.collection(d.collection()));
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
  @Requires(on = On.DOCUMENT)
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
  @Requires(on = On.DOCUMENT)
  public Response page(@PathParam("id") String id, @PathParam("page") int page) {
    return Response.ok(PdfPages.render(pdfOriginal(id), page)).type("image/png").header("Cache-Control", "max-age=3600").build();
  }

  /** The page a quoted text is on. */
  public record PageOfText(int page) {}

  @GET
  @Path("/pages/locate")
  @Operation(summary = "The page of a PDF document that holds a quoted text (e.g. a citation's snippet), searched from"
      + " page 'from' to page 'to'; 404 when no page holds it")
  @Requires(on = On.DOCUMENT)
  public PageOfText locate(@PathParam("id") String id, @QueryParam("text") String text,
      @QueryParam("from") @DefaultValue("1") int from, @QueryParam("to") @DefaultValue("2147483647") int to) {
    if (text == null || text.isBlank()) {
      throw ProblemException.badRequest("send the quoted text as ?text=...");
    }
    Integer page = PdfPages.locate(pdfOriginal(id), text, from, to);
    if (page == null) {
      throw new ProblemException(ProblemType.NOT_FOUND, "no page from " + from + " to " + to + " of document '" + id
          + "' holds the text");
    }
    return new PageOfText(page);
  }

  private java.nio.file.Path pdfOriginal(String id) {
    Document d = require(id);
    if (!"application/pdf".equals(d.mediaType())) {
      throw ProblemException.badRequest("document '" + id + "' is " + d.mediaType() + ", not a PDF");
    }
    return originals.find(id).orElseThrow(() -> ProblemException.notFound("original of document", id));
  }

  @Inject
  Originals originals;

  private Document require(String id) {
    return archive.reader().find(id).orElseThrow(() -> ProblemException.notFound("document", id));
  }
}
