package rag.query.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import rag.query.Answer;
import rag.query.QueryPipeline;
import rag.query.QueryRequest;
import rag.query.assemble.PromptLayout;
import rag.query.generate.ModelClient;
import rag.query.AnswerSink;
import rag.query.plan.Mode;
import rag.query.profile.ModelProfile;
import rag.storage.model.SearchFilter;
import rag.storage.problem.InvalidInputException;

/**
 * A turn of a chat: make the message standalone, answer it over the collection with the recent
 * turns in the prompt, then persist both turns.
 */
public final class ChatService {
  private static final int TURNS_IN_PROMPT = 6;

  private final QueryPipeline pipeline;
  private final ConversationStore store;
  private final ModelClient client;

  public ChatService(QueryPipeline pipeline, ConversationStore store, ModelClient client) {
    this.pipeline = pipeline;
    this.store = store;
    this.client = client;
  }

  public ConversationStore store() {
    return store;
  }

  /** The profile a request names, or the default one; unknown names are refused. */
  public String profileName(String requested) {
    return pipeline.profiles().get(requested).name();
  }

  /** What a turn produced: the conversation (with both new turns), the standalone question and the answer. */
  public record Reply(Conversation conversation, String standalone, Answer answer) {}

  /**
   * Opens a conversation owned by {@code owner} (an API key id; null when the service runs open), or continues one of
   * that owner's (its collection must match). Another owner's conversation is unknown to this one.
   */
  public Conversation open(String conversationId, String collection, String profile, String firstMessage,
      String owner) {
    if (conversationId == null || conversationId.isBlank()) {
      String title = firstMessage.strip();
      return store.create(collection, profile, title.length() <= 80 ? title : title.substring(0, 79) + "…", owner);
    }
    Conversation c = store.find(conversationId).filter(found -> visibleTo(found, owner))
        .orElseThrow(() -> new UnknownConversationException(conversationId));
    if (!c.collection().equals(collection)) {
      throw new InvalidInputException("conversation " + conversationId + " is over collection '" + c.collection()
          + "', not '" + collection + "'");
    }
    return c;
  }

  /**
   * True when a caller (an API key id, or null when the service runs open) may see the conversation: its owner, or
   * anyone while the service runs open.
   */
  public static boolean visibleTo(Conversation conversation, String caller) {
    return caller == null || caller.equals(conversation.owner());
  }

  /** Answers {@code message} in the conversation, streaming the answer's tokens to {@code sink}. */
  public Reply reply(Conversation conversation, String message, String profile, Mode mode, SearchFilter scope,
      AnswerSink sink) {
    return reply(conversation, message, profile, mode, scope, null, sink);
  }

  /** {@link #reply(Conversation, String, String, Mode, SearchFilter, AnswerSink)} with the caller's stuff limit. */
  public Reply reply(Conversation conversation, String message, String profile, Mode mode, SearchFilter scope,
      Long stuffLimit, AnswerSink sink) {
    ModelProfile p = pipeline.profiles().get(profile != null ? profile : conversation.profile());
    List<Turn> earlier = conversation.turns();
    String standalone = FollowUps.standalone(earlier, message, p.hasModel() ? client : null,
        p.hasModel() ? QueryPipeline.endpoint(p) : null);
    List<String[]> recent = new ArrayList<>();
    for (Turn t : earlier.subList(Math.max(0, earlier.size() - TURNS_IN_PROMPT), earlier.size())) {
      recent.add(new String[] {t.isUser() ? "User" : "Assistant", t.text()});
    }
    Answer answer = pipeline.answer(new QueryRequest(standalone, scope, p.name(), mode, null, stuffLimit),
        PromptLayout.conversation(recent), sink);
    Conversation saved = store.append(conversation.id(), List.of(Turn.user(message, standalone),
        Turn.assistant(answer.text(), answer.kind().name().toLowerCase(Locale.ROOT), answer.citations())));
    return new Reply(saved, standalone, answer);
  }

  /** A request named a conversation that does not exist. */
  public static final class UnknownConversationException extends RuntimeException {
    public UnknownConversationException(String id) {
      super("no conversation with id '" + id + "'");
    }
  }
}
