package rag.storage.embed;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import rag.storage.catalog.StorageException;

/** Persistent vectors by (model, SHA-256 of the text), in the catalog's database. */
public final class EmbeddingCache {
  private static final int IN_LIST_MAX = 500;

  private final DataSource dataSource;

  public EmbeddingCache(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The cached vectors among {@code keys}. */
  public Map<String, float[]> get(String model, Collection<String> keys) {
    Map<String, float[]> found = new HashMap<>();
    List<String> all = new ArrayList<>(keys);
    try (Connection c = dataSource.getConnection()) {
      for (int i = 0; i < all.size(); i += IN_LIST_MAX) {
        List<String> part = all.subList(i, Math.min(all.size(), i + IN_LIST_MAX));
        try (PreparedStatement ps = c.prepareStatement("SELECT text_sha256, vector FROM embedding_cache"
            + " WHERE model = ? AND text_sha256 IN (" + String.join(", ", java.util.Collections.nCopies(part.size(), "?"))
            + ")")) {
          ps.setString(1, model);
          for (int j = 0; j < part.size(); j++) {
            ps.setString(j + 2, part.get(j));
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              found.put(rs.getString(1), decode(rs.getBytes(2)));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new StorageException("cannot read the embedding cache: " + e.getMessage(), e);
    }
    return found;
  }

  public void put(String model, Map<String, float[]> vectors) {
    if (vectors.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO embedding_cache (model, text_sha256, vector)"
            + " VALUES (?, ?, ?) ON CONFLICT (model, text_sha256) DO UPDATE SET vector = excluded.vector")) {
      c.setAutoCommit(false);
      for (Map.Entry<String, float[]> e : vectors.entrySet()) {
        ps.setString(1, model);
        ps.setString(2, e.getKey());
        ps.setBytes(3, encode(e.getValue()));
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
    } catch (SQLException e) {
      throw new StorageException("cannot write the embedding cache: " + e.getMessage(), e);
    }
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
