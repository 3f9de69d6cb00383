package rag.storage.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenAiEmbeddingSettingsTest {
  @Test
  void defaultsAndNormalisation() {
    var s = OpenAiEmbeddingSettings.of(" http://localhost:8000/v1/ ", "bge-m3").withApiKey("  ").withQueryPrefix(null);

    assertThat(s.baseUrl()).isEqualTo("http://localhost:8000/v1");
    assertThat(s.apiKey()).isNull();
    assertThat(s.dimension()).isNull();
    assertThat(s.queryPrefix()).isEmpty();
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.maxBatchSize()).isEqualTo(64);
    assertThat(s.maxRetries()).isEqualTo(2);
    assertThat(s.toString()).contains("apiKey=none", "dimension=discover");
  }

  @Test
  void toStringMasksTheKey() {
    var s = OpenAiEmbeddingSettings.of("https://api.example.org/v1", "m").withApiKey("sk-very-secret");

    assertThat(s.toString()).doesNotContain("sk-very-secret").contains("apiKey=***");
    assertThat(s.apiKey()).isEqualTo("sk-very-secret");
  }

  @Test
  void illegalValuesAreRefusedWithTheValueAndTheRange() {
    var s = OpenAiEmbeddingSettings.of("http://localhost:8000/v1", "m");

    assertThatThrownBy(() -> OpenAiEmbeddingSettings.of("localhost:8000", "m"))
        .hasMessageContaining("illegal embedding server base URL 'localhost:8000'");
    assertThatThrownBy(() -> OpenAiEmbeddingSettings.of("http://user:pw@localhost:8000/v1", "m"))
        .hasMessageContaining("contains credentials").hasMessageNotContaining("pw@");
    assertThatThrownBy(() -> OpenAiEmbeddingSettings.of("http://localhost:8000/v1", " "))
        .hasMessageContaining("model name");
    assertThatThrownBy(() -> s.withMaxBatchSize(0)).hasMessage("illegal embedding batch size 0, must be in 1..2048");
    assertThatThrownBy(() -> s.withDimension(0))
        .hasMessage("illegal embedding dimension 0, must be in 1..65536 or absent");
    assertThatThrownBy(() -> s.withTimeout(Duration.ZERO)).hasMessage("illegal embedding timeout PT0S, must be positive");
    assertThatThrownBy(() -> s.withMaxRetries(-1)).hasMessage("illegal embedding retry count -1, must be in 0..10");
  }
}
