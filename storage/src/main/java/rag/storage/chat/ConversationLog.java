package rag.storage.chat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import rag.storage.jdbc.Jdbc;

/**
 * Conversations in the catalog's database, so that every instance sharing it sees them: a header and numbered turns,
 * each as JSON that the query module writes and reads (this store does not look inside). Appends to one conversation
 * are serialized by its row, across instances too.
 */
public final class ConversationLog {
  /** A stored conversation: its header's JSON and its turns' JSON, oldest first. */
  public record Entry(String id, String collection, Instant createdAt, String header, List<String> turns) {}

  private final Jdbc jdbc;

  public ConversationLog(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  public void create(String id, String collection, Instant createdAt, String header) {
    jdbc.update("cannot store conversation " + id, "INSERT INTO conversations (id, collection, created_at, turns,"
        + " header) VALUES (?, ?, ?, 0, ?)", Jdbc.params(id, collection, createdAt.toEpochMilli(), header));
  }

  /** Appends turns after the stored ones, in one transaction; false when there is no such conversation. */
  public boolean append(String id, List<String> turns) {
    return jdbc.inTransaction("cannot append to conversation " + id, c -> {
      // the update takes the conversation's row lock: a concurrent append waits, then numbers after these turns
      if (Jdbc.update(c, "UPDATE conversations SET turns = turns + ? WHERE id = ?", Jdbc.params(turns.size(), id))
          == 0) {
        return false;
      }
      int last = Jdbc.queryFirst(c, "SELECT turns FROM conversations WHERE id = ?", Jdbc.params(id),
          rs -> rs.getInt(1)).orElseThrow();
      int first = last - turns.size() + 1;
      Jdbc.batch(c, "INSERT INTO conversation_turns (conversation_id, seq, turn) VALUES (?, ?, ?)",
          java.util.stream.IntStream.range(0, turns.size()).boxed().toList(), (ps, i) -> {
            ps.setString(1, id);
            ps.setInt(2, first + i);
            ps.setString(3, turns.get(i));
          });
      return true;
    });
  }

  public Optional<Entry> find(String id) {
    return jdbc.withConnection("cannot read conversation " + id, c -> {
      Optional<Entry> head = Jdbc.queryFirst(c, "SELECT id, collection, created_at, header FROM conversations"
          + " WHERE id = ?", Jdbc.params(id), rs -> new Entry(rs.getString(1), rs.getString(2),
          Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4), List.of()));
      if (head.isEmpty()) {
        return head;
      }
      List<String> turns = Jdbc.query(c, "SELECT turn FROM conversation_turns WHERE conversation_id = ?"
          + " ORDER BY seq", Jdbc.params(id), rs -> rs.getString(1));
      Entry h = head.get();
      return Optional.of(new Entry(h.id(), h.collection(), h.createdAt(), h.header(), turns));
    });
  }

  /** Ids of conversations, newest first (every collection when {@code collection} is null). */
  public List<String> list(String collection, int limit) {
    return collection == null
        ? jdbc.query("cannot list conversations", "SELECT id FROM conversations ORDER BY created_at DESC, id LIMIT ?",
            Jdbc.params(limit), rs -> rs.getString(1))
        : jdbc.query("cannot list conversations", "SELECT id FROM conversations WHERE collection = ?"
            + " ORDER BY created_at DESC, id LIMIT ?", Jdbc.params(collection, limit), rs -> rs.getString(1));
  }

  /** Deletes the collection's conversations started before {@code startedBefore}, turns and all; how many. */
  public int deleteAll(String collection, Instant startedBefore) {
    return jdbc.inTransaction("cannot delete the conversations of " + collection, c -> {
      Jdbc.update(c, "DELETE FROM conversation_turns WHERE conversation_id IN (SELECT id FROM conversations"
          + " WHERE collection = ? AND created_at < ?)", Jdbc.params(collection, startedBefore.toEpochMilli()));
      return Jdbc.update(c, "DELETE FROM conversations WHERE collection = ? AND created_at < ?",
          Jdbc.params(collection, startedBefore.toEpochMilli()));
    });
  }
}
