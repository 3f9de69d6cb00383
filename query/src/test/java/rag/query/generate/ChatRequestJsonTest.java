package rag.query.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChatRequestJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ModelEndpoint ENDPOINT =
      new ModelEndpoint("http://127.0.0.1:8000/v1", "llama-4-scout", null, Duration.ofSeconds(30), 512, null);

  @Test
  void writesTheStreamingRequestFields() throws IOException {
    ModelEndpoint endpoint = new ModelEndpoint("http://h/v1", "qwen3", null, Duration.ofSeconds(1), 100, 0.5);

    JsonNode body = write(endpoint, List.of(PromptMessage.system("S"), PromptMessage.user("U")));

    assertThat(body.toString()).isEqualTo("{\"model\":\"qwen3\",\"messages\":[{\"role\":\"system\",\"content\":\"S\"},"
        + "{\"role\":\"user\",\"content\":\"U\"}],\"temperature\":0.5,\"max_tokens\":100,\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true}}");
  }

  @Test
  void escapesEverythingJsonRequires() throws IOException {
    String tricky = "quote \" backslash \\ slash / newline \n return \r tab \t backspace \b formfeed \f "
        + "nul \u0000 bell \u0007 unit separator \u001f delete \u007f é ∑ 🌊 end";

    JsonNode body = write(ENDPOINT, List.of(PromptMessage.user(tricky)));

    assertThat(body.path("messages").path(0).path("content").asText()).isEqualTo(tricky);
  }

  @Test
  void keepsRandomTextIntactAcrossBufferBoundariesAndSplitSurrogatePairs() throws IOException {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder();
    while (text.length() < 50_000) {
      int kind = random.nextInt(5);
      if (kind == 0) {
        text.append((char) random.nextInt(0x20));
      } else if (kind == 1) {
        text.append(random.nextBoolean() ? '"' : '\\');
      } else if (kind == 2) {
        text.appendCodePoint(0x1F300 + random.nextInt(0x200));
      } else {
        text.append((char) (0x20 + random.nextInt(0x2000)));
      }
    }
    String expected = text.toString();
    // written in random pieces, a char at a time now and then, so pairs and escapes straddle buffers
    PromptText pieces = out -> {
      int i = 0;
      Random cuts = new Random(seed);
      while (i < expected.length()) {
        int end = Math.min(expected.length(), i + cuts.nextInt(9000));
        if (cuts.nextBoolean()) {
          out.append(expected, i, end);
        } else {
          for (int c = i; c < end; c++) {
            out.append(expected.charAt(c));
          }
        }
        i = end;
      }
    };

    JsonNode body = write(ENDPOINT, List.of(PromptMessage.user(pieces)));

    assertThat(body.path("messages").path(0).path("content").asText())
        .as("reproduce with seed %d", seed)
        .isEqualTo(expected);
  }

  @Test
  void promptTextOfAStringIsThatString() {
    String text = "already in memory";
    PromptText prompt = PromptText.of(text);

    assertThat(prompt.asString()).isSameAs(text);
    assertThat(prompt.length()).isEqualTo(text.length());
  }

  @Test
  void aStreamedPromptTextHasNoLengthUntilWrittenAndCanStillBeMaterialised() {
    PromptText streamed = out -> out.append("part one, ").append("part two");

    assertThat(streamed.length()).isEqualTo(-1);
    assertThat(streamed.asString()).isEqualTo("part one, part two");
  }

  private static JsonNode write(ModelEndpoint endpoint, List<PromptMessage> messages) throws IOException {
    StringWriter out = new StringWriter();
    ChatRequestJson.write(endpoint, messages, out);
    return JSON.readTree(out.toString());
  }
}
