package rag.app.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import rag.app.api.Views.CollectionView;
import rag.app.api.Views.DocumentPage;
import rag.app.api.Views.DocumentView;
import rag.app.api.Views.NewCollection;
import rag.storage.Archive;
import rag.storage.model.CollectionStats;
import rag.storage.model.Collections;

@Path("/api/collections")
@Produces(MediaType.APPLICATION_JSON)
public class CollectionsResource {
  @Inject
  Archive archive;

  @GET
  @Operation(summary = "Collections with their document, chunk and token counts")
  public List<CollectionView> list() {
    return archive.catalog().collections().stream().map(CollectionView::of).toList();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Create a collection (201), or confirm an existing one (200)")
  public Response create(NewCollection body) {
    if (body == null || !Collections.isValidName(body.name())) {
      throw ProblemException.badRequest("illegal collection name '" + (body == null ? null : body.name())
          + "': use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    boolean created = archive.catalog().ensureCollection(body.name());
    CollectionView view = CollectionView.of(requireCollection(body.name()));
    return (created ? Response.created(URI.create("/api/collections/" + body.name())) : Response.ok())
        .entity(view).build();
  }

  @GET
  @Path("/{collection}")
  @Operation(summary = "One collection with its totals")
  public CollectionView get(@PathParam("collection") String collection) {
    return CollectionView.of(requireCollection(collection));
  }

  @GET
  @Path("/{collection}/documents")
  @Operation(summary = "Documents of a collection, by source path")
  public DocumentPage documents(@PathParam("collection") String collection,
      @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("100") int limit) {
    ProblemException.requireRange("offset", offset, 0, Integer.MAX_VALUE);
    ProblemException.requireRange("limit", limit, 1, 1000);
    CollectionStats stats = requireCollection(collection);
    List<DocumentView> docs = archive.catalog().list(collection, offset, limit).stream().map(DocumentView::of).toList();
    return new DocumentPage(collection, offset, limit, stats.documentCount(), docs);
  }

  private CollectionStats requireCollection(String name) {
    if (!Collections.isValidName(name)) {
      throw ProblemException.badRequest("illegal collection name '" + name + "'");
    }
    return archive.catalog().collection(name).orElseThrow(() -> ProblemException.notFound("collection", name));
  }
}
