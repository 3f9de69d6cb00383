package rag.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code keys create|list|revoke} on the service's database, as an operator makes the first key. */
@QuarkusMainTest
@TestProfile(KeysCommandTest.OwnDataDir.class)
class KeysCommandTest {

  public static class OwnDataDir implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("rag.data-dir", "target/keys-cli-" + System.nanoTime());
    }
  }

  @Test
  void keysAreCreatedListedAndRevokedFromTheCommandLine(QuarkusMainLauncher launcher) {
    LaunchResult created = launcher.launch("keys", "create", "team wiki", "--grant", "wiki=write", "--grant", "*=read",
        "--scope", "eval", "--expires", "2099-01-01T00:00:00Z");
    assertThat(created.exitCode()).as(created.getOutput() + created.getErrorOutput()).isZero();
    String key = created.getOutput().lines().filter(l -> l.startsWith("rk_")).findFirst().orElseThrow();
    String id = key.substring(3, 15);
    assertThat(created.getOutput()).contains("created key " + id + " (team wiki), grants {*=read,wiki=write}");

    LaunchResult listed = launcher.launch("keys", "list");
    assertThat(listed.exitCode()).isZero();
    assertThat(listed.getOutput()).contains(id).contains("team wiki").contains("{*=read,wiki=write}")
        .contains("scopes [eval]").contains("expires 2099-01-01T00:00:00Z").doesNotContain(key.substring(16));

    assertThat(launcher.launch("keys", "revoke", id).exitCode()).isZero();
    assertThat(launcher.launch("keys", "list").getOutput()).contains("REVOKED");
    LaunchResult again = launcher.launch("keys", "revoke", id);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.getErrorOutput()).contains("no active key with id '" + id + "'");

    LaunchResult bad = launcher.launch("keys", "create", "x", "--grant", "wiki=owner");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.getErrorOutput()).contains("unknown access level 'owner'");
    assertThat(launcher.launch("keys").exitCode()).isEqualTo(2);

    LaunchResult verified = launcher.launch("audit", "verify");
    assertThat(verified.exitCode()).as(verified.getOutput() + verified.getErrorOutput()).isZero();
    assertThat(verified.getOutput()).contains("audit log intact");
    assertThat(launcher.launch("audit").exitCode()).isEqualTo(2);
  }
}
