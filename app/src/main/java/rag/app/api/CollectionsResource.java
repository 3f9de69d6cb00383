package rag.app.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import rag.app.api.Views.CollectionView;
import rag.app.api.Views.NewCollection;
import rag.app.wiring.CollectionDeleter;
import rag.storage.Archive;
import rag.storage.model.CollectionStats;
import rag.storage.model.CollectionNames;
import rag.app.security.CurrentCaller;
import rag.app.security.Audit;
import rag.app.security.AuditContext;
import rag.app.security.Requires;
import rag.storage.problem.ProblemType;
import rag.app.security.Requires.On;
import rag.storage.keys.AccessLevel;

@Path("/api/collections")
@Produces(MediaType.APPLICATION_JSON)
public class CollectionsResource {
  @Inject
  AuditContext audit;

  @Inject
  CurrentCaller caller;

  @Inject
  Archive archive;

  @Inject
  CollectionDeleter deleter;

  @GET
  @Operation(summary = "Collections with their document, chunk and token counts and their vectors")
  @Requires(on = On.NOTHING)
  public List<CollectionView> list() {
    return archive.reader().collections().stream().filter(c -> caller.get().canRead(c.name()))
        .map(c -> CollectionView.of(c, archive.vectorState(c))).toList();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Create a collection (201), or confirm an existing one (200)")
  @Requires(on = On.NOTHING)
  @Audit("collection-create")
  public Response create(NewCollection body) {
    if (body == null || !CollectionNames.isValidName(body.name())) {
      throw ProblemException.badRequest("illegal collection name '" + (body == null ? null : body.name())
          + "': use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    // the same answer whether or not the collection exists: a key learns nothing about collections it cannot read
    if (!caller.get().levelIn(body.name()).map(l -> l.includes(AccessLevel.WRITE)).orElse(false)) {
      throw new ProblemException(ProblemType.FORBIDDEN, "this key may not create collection '" + body.name() + "'");
    }
    audit.collection(body.name());
    boolean created = archive.ensureCollection(body.name());
    CollectionStats stats = requireCollection(archive, body.name());
    CollectionView view = CollectionView.of(stats, archive.vectorState(stats));
    return (created ? Response.created(URI.create("/api/collections/" + body.name())) : Response.ok())
        .entity(view).build();
  }

  @GET
  @Path("/{collection}")
  @Operation(summary = "One collection with its totals and its vectors (model, dimension, whether it needs re-indexing)")
  @Requires(on = On.COLLECTION)
  public CollectionView get(@PathParam("collection") String collection) {
    CollectionStats stats = requireCollection(archive, collection);
    return CollectionView.of(stats, archive.vectorState(stats));
  }

  @DELETE
  @Path("/{collection}")
  @Operation(summary = "Delete the collection: its documents (catalog, both indexes, originals), its conversations,"
      + " and its ingest files still queued or running (they fail with 'collection deleted'); 204. Searches see"
      + " the whole collection until the deletion and none of it after.")
  @Requires(on = On.COLLECTION, level = AccessLevel.ADMIN)
  @Audit("collection-delete")
  public Response delete(@PathParam("collection") String collection) {
    if (!CollectionNames.isValidName(collection)) {
      throw ProblemException.badRequest("illegal collection name '" + collection + "'");
    }
    if (!deleter.delete(collection)) {
      throw ProblemException.notFound("collection", collection);
    }
    return Response.noContent().build();
  }

  static CollectionStats requireCollection(Archive archive, String name) {
    if (!CollectionNames.isValidName(name)) {
      throw ProblemException.badRequest("illegal collection name '" + name + "'");
    }
    return archive.reader().collection(name).orElseThrow(() -> ProblemException.notFound("collection", name));
  }
}
