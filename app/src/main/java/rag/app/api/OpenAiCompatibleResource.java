package rag.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import rag.query.Answer;
import rag.query.QueryPipeline;
import rag.query.QueryRequest;
import rag.query.assemble.PromptLayout;
import rag.query.chat.FollowUps;
import rag.query.chat.Turn;
import rag.query.generate.ModelClient;
import rag.query.plan.Mode;
import rag.query.profile.ModelProfile;
import rag.storage.Archive;
import rag.storage.model.CollectionStats;
import rag.storage.model.SearchFilter;
import rag.app.security.AccessFilter;
import rag.app.security.Audit;
import rag.app.security.AuditContext;
import rag.app.security.AuditLog;
import rag.app.security.CurrentCaller;
import rag.app.security.KeyLimits;
import rag.app.security.Requires;
import rag.storage.keys.AccessLevel;
import rag.app.security.Requires.On;

/**
 * The archive behind the OpenAI chat API, so that existing chat clients can use it. A model id is
 * {@code <profile>/<collection>}: the profile answers over the collection. The last message is the
 * question; earlier user and assistant messages are the conversation (the client's system messages
 * are not used: the archive's own instructions apply). Answers carry {@code citations} and
 * {@code plan} as extra fields, which clients that do not know them ignore.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class OpenAiCompatibleResource {
  @Inject
  KeyLimits limits;

  @Inject
  CurrentCaller caller;

  @Inject
  AuditContext audit;

  @Inject
  AuditLog auditLog;

  @Inject
  RoutingContext routing;

  @Inject
  Archive archive;

  @Inject
  QueryPipeline pipeline;

  @Inject
  ModelClient client;

  @Inject
  ObjectMapper json;

  public record ModelCard(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {}

  public record ModelList(String object, List<ModelCard> data) {}

  public record Message(String role, String content) {}

  public record ChatCompletionRequest(String model, List<Message> messages, Boolean stream) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Choice(int index, Message message, Message delta, @JsonProperty("finish_reason") String finishReason) {}

  public record Usage(@JsonProperty("prompt_tokens") long promptTokens,
      @JsonProperty("completion_tokens") long completionTokens, @JsonProperty("total_tokens") long totalTokens) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Completion(String id, String object, long created, String model, List<Choice> choices, Usage usage,
      List<QueryViews.CitationView> citations, QueryViews.PlanView plan) {}

  @GET
  @Path("/models")
  @Operation(summary = "OpenAI-compatible: one model per profile and collection, named <profile>/<collection>")
  @Requires(on = On.NOTHING)
  public ModelList models() {
    List<ModelCard> cards = new ArrayList<>();
    for (ModelProfile p : pipeline.profiles().all()) {
      for (CollectionStats c : archive.reader().collections()) {
        if (!caller.get().canRead(c.name())) {
          continue;
        }
        cards.add(new ModelCard(p.name() + "/" + c.name(), "model", 0, "rag-archive"));
      }
    }
    return new ModelList("list", cards);
  }

  @POST
  @Path("/chat/completions")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
  @Operation(summary = "OpenAI-compatible chat completion over a collection (stream true: server-sent chunks)")
  @Requires(on = On.NOTHING)
  @Audit("chat")
  public Response complete(ChatCompletionRequest body) {
    if (body == null || body.model() == null || body.messages() == null || body.messages().isEmpty()) {
      throw ProblemException.badRequest("the request needs \"model\" and \"messages\"");
    }
    int slash = body.model().indexOf('/');
    if (slash < 1) {
      throw ProblemException.badRequest("model '" + body.model() + "' is not <profile>/<collection>; see GET /v1/models");
    }
    ModelProfile profile = pipeline.profiles().get(body.model().substring(0, slash));
    String collection = body.model().substring(slash + 1);
    audit.collection(collection);
    AccessFilter.require(caller.get(), AccessLevel.READ, collection, "model", body.model());
    CollectionsResource.requireCollection(archive, collection);
    limits.checkChatHistory(caller.get(), body.messages().size());
    Message last = body.messages().get(body.messages().size() - 1);
    if (!"user".equals(last.role()) || last.content() == null || last.content().isBlank()) {
      throw ProblemException.badRequest("the last message must be a non-empty user message");
    }
    List<Turn> earlier = new ArrayList<>();
    List<String[]> recent = new ArrayList<>();
    for (Message m : body.messages().subList(0, body.messages().size() - 1)) {
      if ("user".equals(m.role()) || "assistant".equals(m.role())) {
        earlier.add("user".equals(m.role()) ? Turn.user(m.content(), null) : Turn.assistant(m.content(), null, null));
        recent.add(new String[] {"user".equals(m.role()) ? "User" : "Assistant", m.content()});
      }
    }
    String conversation = PromptLayout.conversation(recent.subList(Math.max(0, recent.size() - 6), recent.size()));
    SearchFilter scope = SearchFilter.collection(collection).readableOnly(caller.get().readableCollections());
    Long stuffLimit = limits.stuffLimit(caller.get());
    String id = "chatcmpl-" + UUID.randomUUID();
    long created = Instant.now().getEpochSecond();
    // the follow-up rewrite asks the model too, so it runs in the stream that a client's disconnect cancels
    AnswerStream<Answer> stream = AnswerStream.startFor(routing, sink -> {
      String question = FollowUps.standalone(earlier, last.content(), profile.hasModel() ? client : null,
          profile.hasModel() ? QueryPipeline.endpoint(profile) : null);
      QueryRequest request = new QueryRequest(question, scope, profile.name(), Mode.AUTO, null, stuffLimit);
      return pipeline.answer(request, conversation, sink);
    });
    if (!Boolean.TRUE.equals(body.stream())) {
      Answer answer = stream.result();
      audit.detail(AuditLog.cited(answer.citations()));
      QueryViews.AnswerView view = QueryViews.answer(answer);
      return Response.ok(new Completion(id, "chat.completion", created, body.model(),
          List.of(new Choice(0, new Message("assistant", answer.text()), null, "stop")), usage(answer),
          view.citations(), view.plan())).build();
    }
    AnswerStream.Event<Answer> first = stream.first();
    audit.recordedByResource(); // at the end, with what the answer cited
    String keyId = caller.get().keyId();
    String address = AuditLog.address(routing);
    StreamingOutput output = out -> {
      chunk(out, new Completion(id, "chat.completion.chunk", created, body.model(),
          List.of(new Choice(0, null, new Message("assistant", ""), null)), null, null, null));
      for (AnswerStream.Event<Answer> e = first; ; e = stream.next()) {
        if (e instanceof AnswerStream.Escalated<Answer>) {
          continue; // OpenAI's chunks have no place for a routed answer's steps: the final plan lists them
        }
        if (e instanceof AnswerStream.Token<Answer> t) {
          chunk(out, new Completion(id, "chat.completion.chunk", created, body.model(),
              List.of(new Choice(0, null, new Message(null, t.text()), null)), null, null, null));
        } else {
          if (e instanceof AnswerStream.Done<Answer> d) {
            QueryViews.AnswerView view = QueryViews.answer(d.result());
            chunk(out, new Completion(id, "chat.completion.chunk", created, body.model(),
                List.of(new Choice(0, null, new Message(null, null), "stop")), usage(d.result()), view.citations(),
                view.plan()));
            auditLog.record(keyId, "chat", collection, id, "200", address, AuditLog.cited(d.result().citations()));
          } else if (e instanceof AnswerStream.Failed<Answer> f) {
            auditLog.record(keyId, "chat", collection, id, "failed", address, f.error().getMessage());
            data(out, json.writeValueAsString(Map.of("error", Map.of("message", String.valueOf(f.error().getMessage()),
                "type", "model_failed"))));
          }
          data(out, "[DONE]");
          return;
        }
      }
    };
    return Response.ok(output, MediaType.SERVER_SENT_EVENTS).header("Cache-Control", "no-cache").build();
  }

  private static Usage usage(Answer a) {
    long prompt = a.generation() != null && a.generation().promptTokens() != null ? a.generation().promptTokens()
        : a.plan().promptTokens();
    long completion = a.generation() != null && a.generation().completionTokens() != null
        ? a.generation().completionTokens() : 0;
    return new Usage(prompt, completion, prompt + completion);
  }

  private void chunk(OutputStream out, Completion c) throws IOException {
    data(out, json.writeValueAsString(c));
  }

  private static void data(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
