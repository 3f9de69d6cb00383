package rag.storage.evals;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import rag.storage.jdbc.Jdbc;

/**
 * Question sets kept with a collection, in the catalog's database (every instance sees them): JSON lines the
 * application has validated, by collection and name. A set is replaced by putting it again under its name.
 */
public final class QuestionSetStore {
  /** A stored set, without its lines. */
  public record Summary(String collection, String name, int questions, Instant createdAt, Instant updatedAt) {}

  private final Jdbc jdbc;
  private final Clock clock;

  public QuestionSetStore(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(dataSource);
    this.clock = clock;
  }

  /** Stores the set under its name, replacing one of the same name; true when it is new. */
  public boolean put(String collection, String name, int questions, String jsonl) {
    long now = clock.millis();
    boolean existed = lines(collection, name).isPresent();
    jdbc.update("cannot store question set " + name, "INSERT INTO question_sets (collection, name, questions, jsonl,"
        + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (collection, name) DO UPDATE SET"
        + " questions = excluded.questions, jsonl = excluded.jsonl, updated_at = excluded.updated_at",
        Jdbc.params(collection, name, questions, jsonl, now, now));
    return !existed;
  }

  /** The collection's sets by name. */
  public List<Summary> list(String collection) {
    return jdbc.query("cannot list question sets", "SELECT collection, name, questions, created_at, updated_at FROM"
        + " question_sets WHERE collection = ? ORDER BY name", Jdbc.params(collection),
        rs -> new Summary(rs.getString(1), rs.getString(2), rs.getInt(3), Instant.ofEpochMilli(rs.getLong(4)),
            Instant.ofEpochMilli(rs.getLong(5))));
  }

  /** A set's JSON lines. */
  public Optional<String> lines(String collection, String name) {
    return jdbc.query("cannot read question set " + name, "SELECT jsonl FROM question_sets WHERE collection = ? AND"
        + " name = ?", Jdbc.params(collection, name), rs -> rs.getString(1)).stream().findFirst();
  }

  /** Deletes a set; false when there was none. */
  public boolean delete(String collection, String name) {
    return jdbc.update("cannot delete question set " + name, "DELETE FROM question_sets WHERE collection = ? AND"
        + " name = ?", Jdbc.params(collection, name)) == 1;
  }

  /** Deletes every set of a collection (the collection is being deleted). */
  public int deleteCollection(String collection) {
    return jdbc.update("cannot delete the question sets of " + collection, "DELETE FROM question_sets WHERE"
        + " collection = ?", Jdbc.params(collection));
  }
}
