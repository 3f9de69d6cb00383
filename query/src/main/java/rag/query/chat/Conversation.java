package rag.query.chat;

import java.time.Instant;
import java.util.List;

/** A chat over one collection: its turns, oldest first. */
public record Conversation(String id, String collection, String profile, String title, Instant createdAt,
    List<Turn> turns, String owner) {
  public Conversation {
    turns = List.copyOf(turns);
  }
}
