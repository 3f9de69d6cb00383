package rag.storage.keys;

import static rag.storage.jdbc.Jdbc.params;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import rag.storage.jdbc.Jdbc;

/** API keys and their grants in the catalog's database: every instance on the same database sees the same keys. */
public final class ApiKeyStore {
  private static final String COLUMNS = "id, name, secret_hash, scopes, created_at, expires_at, revoked_at";
  private final Jdbc jdbc;
  private final Clock clock;

  public ApiKeyStore(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(dataSource);
    this.clock = clock;
  }

  /** Stores a new key with its grants in one transaction; false (and nothing stored) when the id is taken. */
  public boolean create(ApiKey key) {
    return jdbc.inTransaction("cannot store API key " + key.id(), c -> {
      if (Jdbc.queryFirst(c, "SELECT id FROM api_keys WHERE id = ?", params(key.id()), rs -> rs.getString(1))
          .isPresent()) {
        return false;
      }
      insert(c, key);
      return true;
    });
  }

  private static void insert(Connection c, ApiKey key) throws SQLException {
    Jdbc.update(c, "INSERT INTO api_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", ps -> {
      ps.setString(1, key.id());
      ps.setString(2, key.name());
      ps.setString(3, key.secretHash());
      ps.setString(4, joinScopes(key.scopes()));
      ps.setLong(5, key.createdAt().toEpochMilli());
      Jdbc.setLong(ps, 6, millis(key.expiresAt()));
      Jdbc.setLong(ps, 7, millis(key.revokedAt()));
    });
    Jdbc.batch(c, "INSERT INTO api_key_grants (key_id, collection, level) VALUES (?, ?, ?)",
        key.grants().entrySet(), (ps, g) -> {
          ps.setString(1, key.id());
          ps.setString(2, g.getKey());
          ps.setString(3, g.getValue().wireName());
        });
  }

  public Optional<ApiKey> find(String id) {
    return jdbc.withConnection("cannot read API key " + id, c -> {
      List<ApiKey> keys = read(c, " WHERE id = ?", id);
      return keys.stream().findFirst();
    });
  }

  /** Every key, revoked ones too, oldest first. */
  public List<ApiKey> list() {
    return jdbc.withConnection("cannot list API keys", c -> read(c, " ORDER BY created_at, id"));
  }

  /** True when any key that is not revoked exists: access control is then on. */
  public boolean anyActive() {
    return !jdbc.query("cannot count API keys", "SELECT id FROM api_keys WHERE revoked_at IS NULL LIMIT 1", params(),
        rs -> rs.getString(1)).isEmpty();
  }

  /** Revokes the key; false when there is no such key or it was revoked already. */
  public boolean revoke(String id) {
    return jdbc.update("cannot revoke API key " + id, "UPDATE api_keys SET revoked_at = ? WHERE id = ?"
        + " AND revoked_at IS NULL", params(clock.millis(), id)) == 1;
  }

  /**
   * Makes the key exist as given (the bootstrap key): creates it, or replaces the secret, grants and scopes of the
   * key with its id and clears its revocation and expiry.
   */
  public void ensure(ApiKey key) {
    jdbc.inTransaction("cannot store API key " + key.id(), c -> {
      Jdbc.update(c, "DELETE FROM api_key_grants WHERE key_id = ?", params(key.id()));
      Jdbc.update(c, "DELETE FROM api_keys WHERE id = ?", params(key.id()));
      insert(c, key);
      return null;
    });
  }

  private record Row(String id, String name, String secretHash, String scopes, long createdAt, Long expiresAt,
      Long revokedAt) {
  }

  private static List<ApiKey> read(Connection c, String where, Object... values) throws SQLException {
    List<Row> rows = Jdbc.query(c, "SELECT " + COLUMNS + " FROM api_keys" + where, params(values),
        rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
            Jdbc.getLong(rs, "expires_at"), Jdbc.getLong(rs, "revoked_at")));
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<String, Map<String, AccessLevel>> grants = new HashMap<>();
    List<String> ids = rows.stream().map(Row::id).toList();
    for (List<String> part : Jdbc.partition(ids, 500)) {
      Jdbc.query(c, "SELECT key_id, collection, level FROM api_key_grants WHERE key_id IN ("
          + Jdbc.placeholders(part.size()) + ")", params(part.toArray()), rs -> {
            grants.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                .put(rs.getString(2), AccessLevel.fromWireName(rs.getString(3)));
            return null;
          });
    }
    List<ApiKey> keys = new ArrayList<>(rows.size());
    for (Row r : rows) {
      keys.add(new ApiKey(r.id(), r.name(), r.secretHash(), grants.getOrDefault(r.id(), Map.of()),
          splitScopes(r.scopes()), Instant.ofEpochMilli(r.createdAt()), instant(r.expiresAt()), instant(r.revokedAt())));
    }
    return keys;
  }

  private static String joinScopes(Set<KeyScope> scopes) {
    return scopes.stream().map(KeyScope::wireName).sorted().collect(Collectors.joining(","));
  }

  private static Set<KeyScope> splitScopes(String joined) {
    Set<KeyScope> scopes = EnumSet.noneOf(KeyScope.class);
    for (String s : joined.split(",")) {
      if (!s.isBlank()) {
        scopes.add(KeyScope.fromWireName(s));
      }
    }
    return scopes;
  }

  private static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }

  private static Instant instant(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }
}
