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
    return Response.noContent().build();
  }

  private Document require(String id) {
    return archive.catalog().find(id).orElseThrow(() -> ProblemException.notFound("document", id));
  }
}
