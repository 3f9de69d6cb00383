package rag.app.security;

import java.util.Optional;
import java.util.Set;
import rag.storage.keys.AccessLevel;
import rag.storage.keys.ApiKey;
import rag.storage.keys.KeyScope;

/**
 * Who is asking: a key with its grants and scopes, or anyone when the service runs open (no keys configured, bound to
 * loopback only).
 */
public final class Caller {
  private static final Caller OPEN = new Caller(null);
  private final ApiKey key;

  private Caller(ApiKey key) {
    this.key = key;
  }

  public static Caller open() {
    return OPEN;
  }

  public static Caller of(ApiKey key) {
    return new Caller(key);
  }

  public boolean isOpen() {
    return key == null;
  }

  /** The key's id, or null when the service runs open. */
  public String keyId() {
    return key == null ? null : key.id();
  }

  /** The caller's level in the collection; empty when it may not even read it. */
  public Optional<AccessLevel> levelIn(String collection) {
    return key == null ? Optional.of(AccessLevel.ADMIN) : Optional.ofNullable(key.levelIn(collection));
  }

  public boolean canRead(String collection) {
    return levelIn(collection).isPresent();
  }

  public boolean has(KeyScope scope) {
    return key == null || key.has(scope);
  }

  /** True when the caller holds {@code level} on every collection ({@code *}). */
  public boolean hasEverywhere(AccessLevel level) {
    if (key == null) {
      return true;
    }
    AccessLevel all = key.grants().get(ApiKey.ALL_COLLECTIONS);
    return all != null && all.includes(level);
  }

  /**
   * The collections the caller may read, for a search scope: null when it may read every collection (open, or a
   * grant on {@code *}), else the names of its grants.
   */
  public Set<String> readableCollections() {
    if (key == null || key.grants().containsKey(ApiKey.ALL_COLLECTIONS)) {
      return null;
    }
    return Set.copyOf(key.grants().keySet());
  }
}
