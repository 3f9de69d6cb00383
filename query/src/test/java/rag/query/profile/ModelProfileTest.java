package rag.query.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ModelProfileTest {

  @Test
  void timeoutsDefaultAndMustBePositive() {
    ModelProfile defaults = new ModelProfile("qwen3", null, null, null, 262_144, 4_096, "cl100k_base", null, null,
        32_768);
    assertThat(defaults.timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(defaults.stallTimeout()).isEqualTo(Duration.ofSeconds(60));

    assertThatThrownBy(() -> new ModelProfile("qwen3", null, null, null, 262_144, 4_096, "cl100k_base", null,
        Duration.ofMinutes(5), 32_768, Duration.ZERO))
        .hasMessage("profile qwen3: timeout PT5M and stall timeout PT0S must be positive");
  }
}
