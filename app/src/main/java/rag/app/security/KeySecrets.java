package rag.app.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The form of API keys and the hashing of their secrets. A key reads {@code rk_<id>_<secret>}: the id (12 hex
 * characters) is public and names the key in listings and the audit log; the secret (32 random bytes, base64url) is
 * shown once and stored only as its HMAC-SHA256 under the server's pepper, so a copy of the database alone cannot be
 * used to sign in. Comparisons take constant time.
 */
public final class KeySecrets {
  static final String PREFIX = "rk_";
  private static final int ID_BYTES = 6;
  private static final int SECRET_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKeySpec pepper;

  /** A key as presented: its id and its secret. */
  public record Presented(String id, String secret) {
  }

  /** A new key: its id, the whole key to hand out once, and the hash to store. */
  public record Minted(String id, String key, String secretHash) {
  }

  public KeySecrets(byte[] pepper) {
    if (pepper.length < 16) {
      throw new IllegalArgumentException("the pepper must be at least 16 bytes");
    }
    this.pepper = new SecretKeySpec(pepper.clone(), "HmacSHA256");
  }

  public Minted mint() {
    byte[] id = new byte[ID_BYTES];
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    String idText = HexFormat.of().formatHex(id);
    String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new Minted(idText, PREFIX + idText + "_" + secretText, hash(secretText));
  }

  /** The id and secret of a key in the {@code rk_<id>_<secret>} form; empty for anything else. */
  public static Optional<Presented> parse(String key) {
    if (key == null || !key.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int end = key.indexOf('_', PREFIX.length());
    if (end != PREFIX.length() + 2 * ID_BYTES || end == key.length() - 1) {
      return Optional.empty();
    }
    String id = key.substring(PREFIX.length(), end);
    for (int i = 0; i < id.length(); i++) {
      if (Character.digit(id.charAt(i), 16) < 0) {
        return Optional.empty();
      }
    }
    return Optional.of(new Presented(id, key.substring(end + 1)));
  }

  /** HMAC-SHA256 of the secret under the pepper, hex. */
  public String hash(String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(pepper);
      return HexFormat.of().formatHex(mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** True when the secret hashes to the stored hash; constant time in the hash's length. */
  public boolean matches(String secret, String storedHash) {
    return MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.US_ASCII),
        storedHash.getBytes(StandardCharsets.US_ASCII));
  }
}
