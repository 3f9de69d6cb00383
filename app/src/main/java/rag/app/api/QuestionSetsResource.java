package rag.app.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import rag.app.security.Audit;
import rag.app.security.AuditContext;
import rag.app.security.Requires;
import rag.app.security.Requires.On;
import rag.eval.qa.QuestionSets;
import rag.storage.Archive;
import rag.storage.evals.QuestionSetStore;
import rag.storage.keys.AccessLevel;

/**
 * Question sets kept with a collection, for retrieval-accuracy reports over it ({@code POST /api/eval/qa}): JSON
 * lines, validated when sent (a bad line is a 400 naming it), replaced by sending them again under the same name.
 */
@Path("/api/collections/{collection}/question-sets")
@Produces(MediaType.APPLICATION_JSON)
public class QuestionSetsResource {
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  static final int MAX_CHARS = 5_000_000;

  @Inject
  Archive archive;

  @Inject
  AuditContext audit;

  /** A set as listed: its name, its questions and when it was stored. */
  public record QuestionSetView(String name, int questions, String createdAt, String updatedAt) {
    static QuestionSetView of(QuestionSetStore.Summary s) {
      return new QuestionSetView(s.name(), s.questions(), s.createdAt().toString(), s.updatedAt().toString());
    }
  }

  @POST
  @Consumes({"application/x-ndjson", "application/jsonl", MediaType.TEXT_PLAIN})
  @Operation(summary = "Store a question set (JSON lines: id, question, expected passages, answer) under ?name=;"
      + " 201 when new, 200 when it replaced one")
  @Requires(on = On.COLLECTION, level = AccessLevel.WRITE)
  @Audit("question-set-stored")
  public Response put(@PathParam("collection") String collection, @QueryParam("name") String name, String body) {
    CollectionsResource.requireCollection(archive, collection);
    if (name == null || !NAME.matcher(name).matches()) {
      throw ProblemException.badRequest("give the set a name: ?name= with 1 to 64 letters, digits, '.', '_' or '-'");
    }
    if (body == null || body.length() > MAX_CHARS) {
      throw ProblemException.badRequest("send the set's JSON lines as the body, at most " + MAX_CHARS + " characters");
    }
    int questions;
    try {
      questions = QuestionSets.parse(body).size();
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("question set '" + name + "': " + e.getMessage());
    }
    audit.target(name);
    boolean created = archive.questionSets().put(collection, name, questions, body);
    QuestionSetStore.Summary stored = archive.questionSets().list(collection).stream()
        .filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    return (created ? Response.created(URI.create("/api/collections/" + collection + "/question-sets/" + name))
        : Response.ok()).entity(QuestionSetView.of(stored)).build();
  }

  @GET
  @Operation(summary = "The collection's question sets")
  @Requires(on = On.COLLECTION)
  public List<QuestionSetView> list(@PathParam("collection") String collection) {
    CollectionsResource.requireCollection(archive, collection);
    return archive.questionSets().list(collection).stream().map(QuestionSetView::of).toList();
  }

  @GET
  @Path("/{name}")
  @Produces("application/x-ndjson")
  @Operation(summary = "A question set's JSON lines, as stored")
  @Requires(on = On.COLLECTION)
  public String lines(@PathParam("collection") String collection, @PathParam("name") String name) {
    CollectionsResource.requireCollection(archive, collection);
    return archive.questionSets().lines(collection, name)
        .orElseThrow(() -> ProblemException.notFound("question set", name));
  }

  @DELETE
  @Path("/{name}")
  @Operation(summary = "Delete a question set (204; 404 when there is none)")
  @Requires(on = On.COLLECTION, level = AccessLevel.WRITE)
  @Audit("question-set-deleted")
  public Response delete(@PathParam("collection") String collection, @PathParam("name") String name) {
    CollectionsResource.requireCollection(archive, collection);
    audit.target(name);
    if (!archive.questionSets().delete(collection, name)) {
      throw ProblemException.notFound("question set", name);
    }
    return Response.noContent().build();
  }
}
