package rag.app.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import rag.query.chat.ChatService;
import rag.query.chat.Conversation;
import rag.app.security.CurrentCaller;
import rag.app.security.Requires;
import rag.app.security.Requires.On;

/** Saved chat conversations, to list and reopen. */
@Path("/api/conversations")
@Produces(MediaType.APPLICATION_JSON)
public class ConversationsResource {
  @Inject
  CurrentCaller caller;

  @Inject
  ChatService chat;

  public record ConversationSummary(String id, String collection, String profile, String title, String createdAt,
      int turns) {
    static ConversationSummary of(Conversation c) {
      return new ConversationSummary(c.id(), c.collection(), c.profile(), c.title(), c.createdAt().toString(),
          c.turns().size());
    }
  }

  @GET
  @Operation(summary = "Conversations, newest first, optionally of one collection")
  @Requires(on = On.NOTHING)
  public List<ConversationSummary> conversations(@QueryParam("collection") String collection,
      @QueryParam("limit") Integer limit) {
    int n = limit == null ? 100 : ProblemException.requireRange("limit", limit, 1, 1000);
    String me = caller.get().keyId();
    return chat.store().list(collection, Integer.MAX_VALUE).stream()
        .filter(c -> caller.get().canRead(c.collection()) && ChatService.visibleTo(c, me)).limit(n)
        .map(ConversationSummary::of).toList();
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "One conversation with all its turns and their citations")
  @Requires(on = On.CONVERSATION)
  public Conversation conversation(@PathParam("id") String id) {
    return chat.store().find(id).filter(c -> ChatService.visibleTo(c, caller.get().keyId()))
        .orElseThrow(() -> ProblemException.notFound("conversation", id));
  }

}
