package rag.storage.embed;

import static rag.storage.jdbc.Jdbc.placeholders;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import rag.storage.jdbc.Jdbc;

/** Persistent vectors by (model, SHA-256 of the text), in the catalog's database. */
public final class EmbeddingCache {
  private static final int IN_LIST_MAX = 500;

  private final Jdbc jdbc;

  public EmbeddingCache(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  /** The cached vectors among {@code keys}. */
  public Map<String, float[]> get(String model, Collection<String> keys) {
    return jdbc.withConnection("cannot read the embedding cache", c -> {
      Map<String, float[]> found = new HashMap<>();
      for (List<String> part : Jdbc.partition(new ArrayList<>(keys), IN_LIST_MAX)) {
        List<Object> params = new ArrayList<>(part.size() + 1);
        params.add(model);
        params.addAll(part);
        for (Map.Entry<String, float[]> e : Jdbc.query(c, "SELECT text_sha256, vector FROM embedding_cache"
            + " WHERE model = ? AND text_sha256 IN (" + placeholders(part.size()) + ")", Jdbc.params(params.toArray()),
            rs -> Map.entry(rs.getString(1), decode(rs.getBytes(2))))) {
          found.put(e.getKey(), e.getValue());
        }
      }
      return found;
    });
  }

  public void put(String model, Map<String, float[]> vectors) {
    if (vectors.isEmpty()) {
      return;
    }
    jdbc.inTransaction("cannot write the embedding cache", c -> {
      Jdbc.batch(c, "INSERT INTO embedding_cache (model, text_sha256, vector) VALUES (?, ?, ?)"
          + " ON CONFLICT (model, text_sha256) DO UPDATE SET vector = excluded.vector", vectors.entrySet(),
          (ps, e) -> {
            ps.setString(1, model);
            ps.setString(2, e.getKey());
            ps.setBytes(3, encode(e.getValue()));
          });
      return null;
    });
  }

  static byte[] encode(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length);
    for (float x : v) {
      b.putFloat(x);
    }
    return b.array();
  }

  static float[] decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    float[] v = new float[bytes.length / 4];
    for (int i = 0; i < v.length; i++) {
      v[i] = b.getFloat();
    }
    return v;
  }
}
