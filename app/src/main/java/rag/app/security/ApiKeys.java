package rag.app.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import rag.app.config.RagConfig;
import rag.storage.Archive;
import rag.storage.keys.AccessLevel;
import rag.storage.keys.ApiKey;
import rag.storage.keys.ApiKeyStore;
import rag.storage.keys.KeyScope;
import rag.storage.problem.InvalidInputException;

/**
 * API keys: minting, listing, revoking, and checking a presented key. Keys live in the catalog's database, so every
 * instance on it knows them; what an instance read is trusted for {@link #FRESHNESS} at most, so a revocation or a new
 * key reaches every instance within that time.
 */
@ApplicationScoped
public class ApiKeys {
  private static final Logger LOG = Logger.getLogger(ApiKeys.class);
  static final Duration FRESHNESS = Duration.ofSeconds(2);
  /** The id of the bootstrap key when its configured secret is not itself in the {@code rk_<id>_<secret>} form. */
  static final String BOOTSTRAP_ID = "bootstrap";
  private static final int MIN_BOOTSTRAP_LENGTH = 32;

  private final ApiKeyStore store;
  private final KeySecrets secrets;
  private final Optional<String> bootstrap;
  private final Clock clock;
  private final Map<String, Fetched> recent = new ConcurrentHashMap<>();
  private volatile Fetched securityOn;

  private record Fetched(Optional<ApiKey> key, boolean on, long atNanos) {
    boolean fresh() {
      return System.nanoTime() - atNanos < FRESHNESS.toNanos();
    }
  }

  /** A key just minted: the whole key, shown this once, and what is stored. */
  public record Created(String key, ApiKey stored) {
  }

  @Inject
  public ApiKeys(Archive archive, RagConfig config) {
    this(archive.apiKeys(), new KeySecrets(pepper(config)), config.security().bootstrapAdminKey(), Clock.systemUTC());
  }

  ApiKeys(ApiKeyStore store, KeySecrets secrets, Optional<String> bootstrap, Clock clock) {
    this.store = store;
    this.secrets = secrets;
    this.bootstrap = bootstrap.filter(b -> !b.isBlank());
    this.clock = clock;
    this.bootstrap.ifPresent(this::ensureBootstrap);
  }

  /** True when access control is on: a bootstrap key is configured or any key that is not revoked exists. */
  public boolean securityOn() {
    Fetched on = securityOn;
    if (on == null || !on.fresh()) {
      on = new Fetched(Optional.empty(), bootstrap.isPresent() || store.anyActive(), System.nanoTime());
      securityOn = on;
    }
    return on.on();
  }

  /** The id a presented key names (without checking it): its {@code rk_} id, or the bootstrap key's. */
  static String idOf(String presented) {
    return KeySecrets.parse(presented).map(KeySecrets.Presented::id).orElse(BOOTSTRAP_ID);
  }

  /** The active key a client presented (a whole {@code rk_} key, or the bootstrap secret); empty when it is none. */
  public Optional<ApiKey> authenticate(String presented) {
    if (presented == null || presented.isBlank()) {
      return Optional.empty();
    }
    KeySecrets.Presented p = KeySecrets.parse(presented)
        .orElseGet(() -> new KeySecrets.Presented(BOOTSTRAP_ID, presented));
    Fetched fetched = recent.get(p.id());
    if (fetched == null || !fetched.fresh()) {
      fetched = new Fetched(store.find(p.id()), false, System.nanoTime());
      recent.put(p.id(), fetched);
    }
    return fetched.key().filter(k -> k.activeAt(clock.instant()) && secrets.matches(p.secret(), k.secretHash()));
  }

  /** Mints and stores a key; its secret is in the result and nowhere else. */
  public Created create(String name, Map<String, AccessLevel> grants, Set<KeyScope> scopes, Instant expiresAt) {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new InvalidInputException("a key needs a name of 1 to 200 characters");
    }
    if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
      throw new InvalidInputException("expiresAt " + expiresAt + " is not in the future");
    }
    KeySecrets.Minted minted = secrets.mint();
    ApiKey key = new ApiKey(minted.id(), name.strip(), minted.secretHash(), grants, scopes, clock.instant(), expiresAt,
        null);
    if (!store.create(key)) {
      throw new IllegalStateException("a freshly drawn key id " + minted.id() + " is taken");
    }
    securityOn = null;
    LOG.infof("API key %s (%s) created", key.id(), key.name());
    return new Created(minted.key(), key);
  }

  public List<ApiKey> list() {
    return store.list();
  }

  public Optional<ApiKey> find(String id) {
    return store.find(id);
  }

  /** Revokes the key on every instance within {@link #FRESHNESS}; false when there is no such active key. */
  public boolean revoke(String id) {
    boolean revoked = store.revoke(id);
    recent.remove(id);
    securityOn = null;
    if (revoked) {
      LOG.infof("API key %s revoked", id);
    }
    return revoked;
  }

  private void ensureBootstrap(String configured) {
    KeySecrets.Presented p = KeySecrets.parse(configured).orElseGet(() -> {
      if (configured.length() < MIN_BOOTSTRAP_LENGTH) {
        throw new IllegalArgumentException("rag.security.bootstrap-admin-key must be at least " + MIN_BOOTSTRAP_LENGTH
            + " characters (or a key of the form rk_<id>_<secret>)");
      }
      return new KeySecrets.Presented(BOOTSTRAP_ID, configured);
    });
    store.ensure(new ApiKey(p.id(), "bootstrap admin key (rag.security.bootstrap-admin-key)",
        secrets.hash(p.secret()), Map.of(ApiKey.ALL_COLLECTIONS, AccessLevel.ADMIN), EnumSet.allOf(KeyScope.class),
        clock.instant(), null, null));
    LOG.infof("bootstrap admin key %s ensured (all collections, all scopes)", p.id());
  }

  /**
   * The pepper: {@code rag.security.pepper} when set (every instance on one database must share it), else a random one
   * kept in the data directory, made once.
   */
  static byte[] pepper(RagConfig config) {
    Optional<String> configured = config.security().pepper().filter(p -> !p.isBlank());
    if (configured.isPresent()) {
      return configured.get().getBytes(StandardCharsets.UTF_8);
    }
    Path file = config.dataDir().resolve("security").resolve("pepper");
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Path partial = file.resolveSibling("pepper.partial");
        Files.writeString(partial, HexFormat.of().formatHex(random));
        try {
          Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: the data directory's own permissions protect it
        }
        Files.move(partial, file);
        LOG.infof("made a pepper for API key hashes in %s; set rag.security.pepper (RAG_SECURITY_PEPPER) to the same"
            + " value on every instance when several share one database", file);
      }
      return Files.readString(file).strip().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the pepper for API key hashes in " + file, e);
    }
  }
}
