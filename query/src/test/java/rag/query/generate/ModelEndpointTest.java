package rag.query.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ModelEndpointTest {

  @Test
  void theServerRootDropsTheV1AndTrailingSlash() {
    assertThat(endpoint("http://gpu-1:8000/v1/").serverRoot()).isEqualTo("http://gpu-1:8000");
    assertThat(endpoint("http://gpu-1:8000/v1").baseUrl()).isEqualTo("http://gpu-1:8000/v1");
    assertThat(endpoint("http://ollama:11434").serverRoot()).isEqualTo("http://ollama:11434");
  }

  @Test
  void rejectsIllegalValuesSayingWhatIsAllowed() {
    assertThatThrownBy(() -> endpoint("gpu-1:8000/v1"))
        .hasMessage("illegal model base URL 'gpu-1:8000/v1', must be an http or https URL");
    assertThatThrownBy(() -> new ModelEndpoint("http://h/v1", " ", null, Duration.ofSeconds(1), 1, null))
        .hasMessage("illegal model name ' ', must not be blank");
    assertThatThrownBy(() -> new ModelEndpoint("http://h/v1", "m", null, Duration.ZERO, 1, null))
        .hasMessage("illegal model timeout PT0S, must be positive");
    assertThatThrownBy(() -> new ModelEndpoint("http://h/v1", "m", null, Duration.ofSeconds(1), 1, null,
        Duration.ofSeconds(-1)))
        .hasMessage("illegal model stall timeout PT-1S, must be positive");
    assertThatThrownBy(() -> new ModelEndpoint("http://h/v1", "m", null, Duration.ofSeconds(1), 0, null))
        .hasMessage("illegal maxAnswerTokens 0, must be at least 1");
    assertThatThrownBy(() -> new ModelEndpoint("http://h/v1", "m", null, Duration.ofSeconds(1), 1, 2.5))
        .hasMessage("illegal temperature 2.5, must be in 0..2");
  }

  @Test
  void toStringMasksTheApiKey() {
    ModelEndpoint withKey = new ModelEndpoint("http://h/v1", "m", "sk-live-abc", Duration.ofSeconds(1), 1, null);
    ModelEndpoint withoutKey = new ModelEndpoint("http://h/v1", "m", null, Duration.ofSeconds(1), 1, null);

    assertThat(withKey.toString()).doesNotContain("sk-live-abc").contains("apiKey=****");
    assertThat(withoutKey.toString()).contains("apiKey=<none>");
  }

  private static ModelEndpoint endpoint(String baseUrl) {
    return new ModelEndpoint(baseUrl, "m", null, Duration.ofSeconds(1), 1, null);
  }
}
