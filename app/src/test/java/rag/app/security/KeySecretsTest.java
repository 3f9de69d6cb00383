package rag.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeySecretsTest {
  private final KeySecrets secrets = new KeySecrets("pepper-of-sixteen-bytes+".getBytes(StandardCharsets.UTF_8));

  @Test
  void mintedKeysParseBackAndOnlyTheirSecretMatches() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      KeySecrets.Minted m = secrets.mint();
      KeySecrets.Presented p = KeySecrets.parse(m.key()).orElseThrow();
      assertThat(p.id()).isEqualTo(m.id()).hasSize(12);
      assertThat(p.secret()).hasSize(43);
      assertThat(secrets.matches(p.secret(), m.secretHash())).isTrue();
      assertThat(secrets.matches(p.secret() + "x", m.secretHash())).isFalse();
      assertThat(m.secretHash()).doesNotContain(p.secret());
      ids.add(m.id());
    }
    assertThat(ids).hasSize(200);
  }

  @Test
  void theHashIsHmacSha256UnderThePepper() {
    // RFC 4231, test case 6: a 131-byte key of 0xaa
    byte[] key = new byte[131];
    Arrays.fill(key, (byte) 0xaa);
    assertThat(new KeySecrets(key).hash("Test Using Larger Than Block-Size Key - Hash Key First"))
        .isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    assertThat(secrets.hash("s")).isEqualTo(secrets.hash("s")).isNotEqualTo(new KeySecrets(key).hash("s"));
    assertThatThrownBy(() -> new KeySecrets(new byte[8])).hasMessageContaining("16 bytes");
  }

  @Test
  void anythingElseIsNotAnRkKey() {
    for (String bad : new String[] {null, "", "rk_", "rk_0123456789ab", "rk_0123456789ab_", "rk_0123456789a_secret",
        "rk_0123456789abc_secret", "rk_0123456789ag_secret", "sk-openai-style", "Bearer rk_0123456789ab_x"}) {
      assertThat(KeySecrets.parse(bad)).as(String.valueOf(bad)).isEmpty();
    }
    assertThat(KeySecrets.parse("rk_0123456789ab_se_cr-et")).contains(new KeySecrets.Presented("0123456789ab",
        "se_cr-et"));
  }

  @Test
  void keysAreReadFromBearerOrXApiKey() {
    assertThat(ApiKeyMechanism.presentedKey("Bearer abc", null)).isEqualTo("abc");
    assertThat(ApiKeyMechanism.presentedKey("bearer  abc ", null)).isEqualTo("abc");
    assertThat(ApiKeyMechanism.presentedKey(null, " abc")).isEqualTo("abc");
    assertThat(ApiKeyMechanism.presentedKey("Basic dXNlcg==", "abc")).isEqualTo("abc");
    assertThat(ApiKeyMechanism.presentedKey("Basic dXNlcg==", null)).isNull();
    assertThat(ApiKeyMechanism.presentedKey("Bearer ", "")).isNull();
  }
}
