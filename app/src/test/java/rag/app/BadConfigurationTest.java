package rag.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A configuration value out of range stops start-up with a message naming the property. */
@QuarkusMainTest
@TestProfile(BadConfigurationTest.OutOfRangeHnsw.class)
class BadConfigurationTest {
  public static class OutOfRangeHnsw implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("rag.index.hnsw-m", "1", "rag.data-dir", "target/bad-config-data");
    }
  }

  @Test
  @Launch(value = {}, exitCode = 1)
  void startupFailsAndNamesTheProperty(LaunchResult result) {
    assertThat(result.getErrorOutput() + result.getOutput()).contains("rag.index.hnsw-m");
  }
}
