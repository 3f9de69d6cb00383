package rag.storage.keys;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A stored API key: never its secret, only the secret's HMAC under the server's pepper.
 *
 * @param grants access level per collection name, or per {@link #ALL_COLLECTIONS} for every collection
 */
public record ApiKey(String id, String name, String secretHash, Map<String, AccessLevel> grants, Set<KeyScope> scopes,
    Instant createdAt, Instant expiresAt, Instant revokedAt) {
  public static final String ALL_COLLECTIONS = "*";

  public ApiKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(secretHash, "secretHash");
    grants = Map.copyOf(grants);
    scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(scopes);
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** True when the key may be used at {@code now}: not revoked, not expired. */
  public boolean activeAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }

  /** The key's level in the collection (its own grant or the one for every collection, whichever is higher). */
  public AccessLevel levelIn(String collection) {
    AccessLevel own = grants.get(collection);
    AccessLevel all = grants.get(ALL_COLLECTIONS);
    if (own == null) {
      return all;
    }
    return all == null || own.includes(all) ? own : all;
  }

  public boolean has(KeyScope scope) {
    return scopes.contains(scope);
  }
}
