package rag.storage.catalog;

import static rag.storage.jdbc.Jdbc.placeholders;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import rag.storage.jdbc.Jdbc;
import rag.storage.model.ChunkId;
import rag.storage.model.Document;

/**
 * Exact token counts of document versions as a prompt layout writes them, per tokenizer, in the catalog's database.
 * A version never changes, so its counts are computed once; they go when the version goes ({@link #purgeOrphans}).
 * What the counts mean is the query side's business (see {@code rag.query.assemble.PromptTokens}).
 */
public final class TokenCountStore {
  private static final int IN_LIST_MAX = 500;

  /** The tokens of a document's contents line and of its whole block, both at the first place of a prompt. */
  public record Counts(long contents, long document) {}

  private final Jdbc jdbc;
  private final Clock clock;

  public TokenCountStore(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(dataSource);
    this.clock = clock;
  }

  /** The stored counts of {@code documents}' versions, by {@link ChunkId#versionKey}; versions without counts are absent. */
  public Map<String, Counts> get(String tokenizer, String layout, Collection<Document> documents) {
    Map<String, Integer> wanted = new HashMap<>();
    documents.forEach(d -> wanted.put(d.id(), d.version()));
    return jdbc.withConnection("cannot read the token counts", c -> {
      Map<String, Counts> found = new HashMap<>();
      for (List<String> part : Jdbc.partition(new ArrayList<>(wanted.keySet()), IN_LIST_MAX)) {
        List<Object> params = new ArrayList<>(part.size() + 2);
        params.add(tokenizer);
        params.add(layout);
        params.addAll(part);
        for (Object[] row : Jdbc.query(c, "SELECT document_id, version, contents_tokens, document_tokens"
            + " FROM token_counts WHERE tokenizer = ? AND layout = ? AND document_id IN ("
            + placeholders(part.size()) + ")", Jdbc.params(params.toArray()),
            rs -> new Object[] {rs.getString(1), rs.getInt(2), new Counts(rs.getLong(3), rs.getLong(4))})) {
          String id = (String) row[0];
          int version = (Integer) row[1];
          if (wanted.get(id) == version) {
            found.put(ChunkId.versionKey(id, version), (Counts) row[2]);
          }
        }
      }
      return found;
    });
  }

  /** Stores counts; a version already counted keeps its row (the same inputs give the same counts). */
  public void put(String tokenizer, String layout, Map<Document, Counts> counts) {
    if (counts.isEmpty()) {
      return;
    }
    long now = clock.millis();
    jdbc.inTransaction("cannot write the token counts", c -> {
      Jdbc.batch(c, "INSERT INTO token_counts (document_id, version, tokenizer, layout, contents_tokens,"
          + " document_tokens, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (document_id, version, tokenizer, layout) DO NOTHING", counts.entrySet(), (ps, e) -> {
            ps.setString(1, e.getKey().id());
            ps.setInt(2, e.getKey().version());
            ps.setString(3, tokenizer);
            ps.setString(4, layout);
            ps.setLong(5, e.getValue().contents());
            ps.setLong(6, e.getValue().document());
            ps.setLong(7, now);
          });
      return null;
    });
  }

  /** Deletes the counts of versions the catalog no longer has, and of other layouts; returns how many rows went. */
  public int purgeOrphans(String currentLayout) {
    return jdbc.update("cannot purge the token counts", "DELETE FROM token_counts WHERE layout <> ? OR NOT EXISTS"
        + " (SELECT 1 FROM documents d WHERE d.id = token_counts.document_id AND d.version = token_counts.version)",
        Jdbc.params(currentLayout));
  }
}
