package rag.query.chat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where conversations persist. */
public interface ConversationStore {
  Conversation create(String collection, String profile, String title);

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
