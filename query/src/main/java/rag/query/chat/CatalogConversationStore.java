package rag.query.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import rag.storage.chat.ConversationLog;
import rag.storage.problem.InvalidInputException;

/**
 * Conversations in the catalog's database ({@link ConversationLog}): what the cluster backend uses, so that a chat
 * started through one instance goes on through any other. Headers and turns are stored as the same JSON the file
 * store writes.
 */
public final class CatalogConversationStore implements ConversationStore {
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private record Header(String collection, String profile, String title, String owner) {}

  private final ConversationLog log;

  public CatalogConversationStore(ConversationLog log) {
    this.log = log;
  }

  @Override
  public Conversation create(String collection, String profile, String title, String owner) {
    String id = UUID.randomUUID().toString();
    Instant createdAt = Instant.ofEpochMilli(Instant.now().toEpochMilli()); // as stored: milliseconds
    log.create(id, collection, createdAt, write(new Header(collection, profile, title, owner)));
    return new Conversation(id, collection, profile, title, createdAt, List.of(), owner);
  }

  @Override
  public Optional<Conversation> find(String id) {
    if (id == null || id.length() > 64) {
      return Optional.empty();
    }
    return log.find(id).map(CatalogConversationStore::conversation);
  }

  @Override
  public Conversation append(String id, List<Turn> turns) {
    List<String> json = turns.stream().map(CatalogConversationStore::write).toList();
    if (!log.append(id, json)) {
      throw new InvalidInputException("no conversation with id '" + id + "'");
    }
    return find(id).orElseThrow();
  }

  @Override
  public List<Conversation> list(String collection, int limit) {
    List<Conversation> found = new ArrayList<>();
    for (String id : log.list(collection, limit)) {
      find(id).ifPresent(found::add); // deleted meanwhile: left out
    }
    return found;
  }

  @Override
  public int deleteAll(String collection, Instant startedBefore) {
    return log.deleteAll(collection, startedBefore);
  }

  private static Conversation conversation(ConversationLog.Entry e) {
    Header h = read(e.header(), Header.class);
    List<Turn> turns = e.turns().stream().map(t -> read(t, Turn.class)).toList();
    return new Conversation(e.id(), e.collection(), h.profile(), h.title(), e.createdAt(), turns, h.owner());
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable stored conversation JSON: " + e.getOriginalMessage(), e);
    }
  }
}
