package rag.query.chat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where conversations persist. */
public interface ConversationStore {
  /** A new conversation; {@code owner}: the API key id of its creator (null when the service runs open). */
  Conversation create(String collection, String profile, String title, String owner);

  /** {@link #create(String, String, String, String)} without an owner. */
  default Conversation create(String collection, String profile, String title) {
    return create(collection, profile, title, null);
  }

  Optional<Conversation> find(String id);

  /** Appends turns durably; the conversation must exist. */
  Conversation append(String id, List<Turn> turns);

  /** Conversations, newest first (all collections when {@code collection} is null). */
  List<Conversation> list(String collection, int limit);

  /**
   * Removes the collection's conversations started before {@code startedBefore} (when it was
   * deleted: a later one belongs to a new collection of the same name); returns how many.
   */
  int deleteAll(String collection, Instant startedBefore);
}
