package rag.app.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import rag.query.chat.ChatService;
import rag.query.chat.Conversation;
import rag.query.plan.Mode;
import rag.storage.Archive;
import rag.storage.model.SearchFilter;
import rag.app.security.CurrentCaller;
import rag.app.security.Audit;
import rag.app.security.AuditContext;
import rag.app.security.AuditLog;
import rag.app.security.KeyLimits;
import rag.app.security.Requires;
import rag.app.security.Requires.On;

/**
 * Chat over a collection, answered as a server-sent event stream: {@code conversation} (its id and
 * the standalone question), {@code token} events as the answer streams ({@code route} events between them when a
 * routed answer moves on from a step that found no answer), then {@code citations},
 * {@code plan} and {@code done}; a failure after the first token is an {@code error} event carrying
 * a problem. Conversations persist ({@link ConversationsResource}).
 */
@Path("/api/collections/{collection}")
public class ChatResource {
  @Inject
  KeyLimits limits;

  @Inject
  AuditContext audit;

  @Inject
  AuditLog auditLog;

  @Inject
  RoutingContext routing;

  @Inject
  CurrentCaller caller;

  @Inject
  Archive archive;

  @Inject
  ChatService chat;

  @Inject
  ObjectMapper json;

  /** {@code conversationId}: absent to start a conversation; {@code message}: the user's words. */
  public record ChatBody(String conversationId, String message, String profile, String mode,
      QueryViews.Filters filters) {}

  @POST
  @Path("/chat")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(summary = "Send a chat message; the answer streams as server-sent events (conversation, token..., "
      + "citations, plan, done)")
  @Requires(on = On.COLLECTION)
  @Audit("chat")
  public Response chat(@PathParam("collection") String collection, ChatBody body) {
    CollectionsResource.requireCollection(archive, collection);
    if (body == null || body.message() == null || body.message().isBlank()) {
      throw ProblemException.badRequest("the request needs a non-empty \"message\"");
    }
    Mode mode = Mode.parse(body.mode());
    String profile = chat.profileName(body.profile());
    Conversation conversation;
    try {
      conversation = chat.open(body.conversationId(), collection, profile, body.message(), caller.get().keyId());
    } catch (ChatService.UnknownConversationException e) {
      throw ProblemException.notFound("conversation", body.conversationId());
    }
    QueryViews.Filters f = body.filters();
    SearchFilter scope = QueryViews.Filters.scope(collection, f, caller.get());
    Long stuffLimit = limits.stuffLimit(caller.get());
    limits.checkChatHistory(caller.get(), conversation.turns().size() + 2);
    AnswerStream<ChatService.Reply> stream = AnswerStream.startFor(routing,
        sink -> chat.reply(conversation, body.message(), body.profile(), mode, scope, stuffLimit, sink));
    AnswerStream.Event<ChatService.Reply> first = stream.first();
    audit.recordedByResource(); // at the end, with what the answer cited
    String keyId = caller.get().keyId();
    String address = AuditLog.address(routing);
    StreamingOutput output = out -> {
      event(out, "conversation", Map.of("conversationId", conversation.id()));
      for (AnswerStream.Event<ChatService.Reply> e = first; ; e = stream.next()) {
        if (e instanceof AnswerStream.Token<ChatService.Reply> t) {
          event(out, "token", Map.of("text", t.text()));
        } else if (e instanceof AnswerStream.Escalated<ChatService.Reply> escalated) {
          event(out, "route", QueryViews.RoutedStepView.of(escalated.step()));
        } else if (e instanceof AnswerStream.Done<ChatService.Reply> d) {
          ChatService.Reply reply = d.result();
          event(out, "question", Map.of("standalone", reply.standalone()));
          QueryViews.AnswerView answer = QueryViews.answer(reply.answer());
          event(out, "citations", answer.citations());
          event(out, "plan", answer.plan());
          event(out, "done", Map.of("answerKind", answer.answerKind(), "answer", answer.answer()));
          auditLog.record(keyId, "chat", collection, conversation.id(), "200", address,
              AuditLog.cited(reply.answer().citations()));
          return;
        } else if (e instanceof AnswerStream.Failed<ChatService.Reply> failed) {
          Problem problem = Problems.of(failed.error(), "/api/collections/" + collection + "/chat");
          event(out, "error", problem);
          auditLog.record(keyId, "chat", collection, conversation.id(), String.valueOf(problem.status()), address,
              problem.detail());
          return;
        }
      }
    };
    return Response.ok(output, MediaType.SERVER_SENT_EVENTS).header("Cache-Control", "no-cache").build();
  }

  private void event(OutputStream out, String name, Object data) throws IOException {
    out.write(("event: " + name + "\ndata: " + json.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
