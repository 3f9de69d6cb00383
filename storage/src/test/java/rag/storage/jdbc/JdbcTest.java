package rag.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static rag.storage.jdbc.Jdbc.params;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;
import rag.storage.catalog.StorageException;

class JdbcTest {
  @TempDir
  Path dir;
  private Jdbc jdbc;

  @BeforeEach
  void createTable() {
    SQLiteDataSource dataSource = new SQLiteDataSource();
    dataSource.setUrl("jdbc:sqlite:" + dir.resolve("test.db"));
    jdbc = new Jdbc(dataSource);
    jdbc.update("cannot create", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, size BIGINT)", params());
  }

  private List<String> names() {
    return jdbc.query("cannot read", "SELECT name FROM items ORDER BY id", params(), rs -> rs.getString(1));
  }

  @Test
  void aTransactionCommitsWhatItsWorkDidOrNothingWhenTheWorkThrows() {
    jdbc.inTransaction("cannot insert", c -> Jdbc.update(c, "INSERT INTO items (id, name) VALUES (?, ?)",
        params(1, "kept")));
    IllegalStateException failure = new IllegalStateException("changed my mind");
    assertThatThrownBy(() -> jdbc.inTransaction("cannot insert", c -> {
      Jdbc.update(c, "INSERT INTO items (id, name) VALUES (?, ?)", params(2, "rolled back"));
      throw failure;
    })).isSameAs(failure);
    assertThatThrownBy(() -> jdbc.inTransaction("cannot insert item 1 again", c -> {
      Jdbc.update(c, "INSERT INTO items (id, name) VALUES (?, ?)", params(3, "rolled back too"));
      return Jdbc.update(c, "INSERT INTO items (id, name) VALUES (?, ?)", params(1, "duplicate"));
    })).isInstanceOf(StorageException.class).hasCauseInstanceOf(SQLException.class)
        .hasMessageStartingWith("cannot insert item 1 again: ").hasMessageContaining("UNIQUE constraint failed");

    assertThat(names()).containsExactly("kept");
  }

  @Test
  void aTransactionPreparesEachStatementOnceAndANestedOneAfresh() {
    List<String> nested = jdbc.inTransaction("cannot insert", c -> {
      java.sql.PreparedStatement first;
      try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO items (id, name) VALUES (?, ?)")) {
        first = ps;
        ps.setInt(1, 1);
        ps.setString(2, "one");
        ps.executeUpdate();
      }
      for (int id = 2; id <= 3; id++) {
        try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO items (id, name) VALUES (?, ?)")) {
          assertThat(ps).as("the same statement again, ready for new parameters").isSameAs(first);
          ps.setInt(1, id);
          ps.setString(2, id == 2 ? "two" : "three");
          ps.executeUpdate();
        }
      }
      String select = "SELECT name FROM items WHERE id >= ? ORDER BY id";
      List<String> pairs = new java.util.ArrayList<>();
      try (java.sql.PreparedStatement outer = c.prepareStatement(select)) {
        outer.setInt(1, 2);
        try (java.sql.ResultSet rows = outer.executeQuery()) {
          while (rows.next()) {
            // the same SQL while the outer statement's rows are still read: a statement of its own
            pairs.add(rows.getString(1) + ":" + Jdbc.query(c, select, params(3), rs -> rs.getString(1)));
          }
        }
      }
      try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO items (id, name) VALUES (?, ?)")) {
        ps.setInt(1, 4); // the name is left unbound: the last use's "three" is gone
        ps.executeUpdate();
      }
      return pairs;
    });
    assertThat(nested).containsExactly("two:[three]", "three:[three]");
    assertThat(names()).containsExactly("one", "two", "three", null);
  }

  @Test
  void aBatchLargerThanOneRoundTripWritesEveryItem() {
    List<Integer> ids = IntStream.range(0, Jdbc.BATCH_SIZE * 2 + 7).boxed().toList();
    jdbc.inTransaction("cannot insert", c -> {
      Jdbc.batch(c, "INSERT INTO items (id, name, size) VALUES (?, ?, ?)", ids, (ps, id) -> {
        ps.setInt(1, id);
        ps.setString(2, "item " + id);
        Jdbc.setLong(ps, 3, id % 2 == 0 ? null : (long) id);
      });
      return null;
    });

    assertThat(jdbc.query("cannot read", "SELECT count(*), count(size) FROM items", params(),
        rs -> List.of(rs.getInt(1), rs.getInt(2)))).containsExactly(List.of(ids.size(), ids.size() / 2));
    Optional<Long> nullSize = jdbc.withConnection("cannot read", c -> Jdbc.queryFirst(c,
        "SELECT size FROM items WHERE id = ?", params(4), rs -> Jdbc.getLong(rs, "size")));
    Optional<String> name = jdbc.withConnection("cannot read", c -> Jdbc.queryFirst(c,
        "SELECT name FROM items WHERE id = ?", params(5), rs -> rs.getString(1)));
    assertThat(nullSize).isEmpty();
    assertThat(name).contains("item 5");
  }

  @Test
  void partitionsKeepOrderAndBoundTheirSize() {
    assertThat(Jdbc.partition(List.of(1, 2, 3, 4, 5), 2)).containsExactly(List.of(1, 2), List.of(3, 4), List.of(5));
    assertThat(Jdbc.partition(List.of(), 2)).isEmpty();
    assertThat(Jdbc.placeholders(3)).isEqualTo("?, ?, ?");
  }
}
