package rag.eval.niah;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static rag.eval.niah.CatHaystack.COUNTER;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HaystackBuilderTest {
  @Test
  void theFixtureCountsAsDocumented() {
    assertThat(COUNTER.count(CatHaystack.SENTENCE)).isEqualTo(7);
    assertThat(COUNTER.count(" " + CatHaystack.SENTENCE)).isEqualTo(7);
    assertThat(COUNTER.count(CatHaystack.PARAGRAPH + "\n\n")).isEqualTo(70);
  }

  @Test
  void segmentsAreParagraphsWithContiguousTokenOffsets() {
    Haystack haystack = CatHaystack.builder().build(350);
    assertThat(haystack.totalTokens()).isEqualTo(350);
    assertThat(haystack.segments()).hasSize(5).allSatisfy(s -> {
      assertThat(s.text()).isEqualTo(CatHaystack.PARAGRAPH + "\n\n");
      assertThat(s.tokens()).isEqualTo(70);
      assertThat(s.source()).isEqualTo("cats.txt");
    });
    assertThat(haystack.segments()).extracting(Segment::tokenStart).containsExactly(0, 70, 140, 210, 280);
    assertThat(COUNTER.count(haystack.text())).isEqualTo(350);
    assertThat(haystack.tokenizer()).isEqualTo("cl100k_base");
  }

  @Test
  void theSourcesRepeatUntilTheLengthAndTheLastSegmentIsCut() {
    Haystack haystack = CatHaystack.builder().build(1_403);
    // 20 whole paragraphs (two passes over the 700-token source), then 3 tokens of the next: "The cat sat"
    assertThat(haystack.segments()).hasSize(21);
    assertThat(haystack.segment(20).text()).isEqualTo("The cat sat");
    assertThat(haystack.segment(20).tokens()).isEqualTo(3);
    assertThat(haystack.totalTokens()).isEqualTo(1_403);
    assertThat(COUNTER.count(haystack.text())).isEqualTo(1_403);
  }

  @Test
  void theSegmentHoldingATokenIsFoundByOffset() {
    Haystack haystack = CatHaystack.builder().build(350);
    assertThat(haystack.segmentAt(0)).isZero();
    assertThat(haystack.segmentAt(69)).isZero();
    assertThat(haystack.segmentAt(70)).isEqualTo(1);
    assertThat(haystack.segmentAt(349)).isEqualTo(4);
    assertThat(haystack.segmentAt(350)).isEqualTo(4);
    assertThatThrownBy(() -> haystack.segmentAt(351)).hasMessageContaining("outside the haystack [0, 350]");
  }

  @Test
  void longParagraphsAreSplitBetweenSentencesAndShortOnesShareASegment() {
    String text = "Short one.\n\nAnother short one.\n\n" + "A longer sentence with several words in it. ".repeat(6)
        + "\n\nTail.";
    HaystackBuilder builder = new HaystackBuilder("mixed", List.of(new SourceText("m.txt", text)), COUNTER, 20);
    Haystack haystack = builder.build((int) builder.sourceTokens());
    assertThat(haystack.text()).isEqualTo("Short one.\n\nAnother short one.\n\n"
        + "A longer sentence with several words in it. ".repeat(5) + "A longer sentence with several words in it.\n\n"
        + "Tail.\n\n");
    assertThat(haystack.segments()).hasSizeGreaterThan(3).allSatisfy(s -> {
      assertThat(s.tokens()).isEqualTo(COUNTER.count(s.text())).isLessThanOrEqualTo(20);
      assertThat(s.text()).matches("(?s) ?[A-Z].*(\\.|\\.\n\n)");
    });
    assertThat(COUNTER.count(haystack.text())).isEqualTo(haystack.totalTokens());
  }

  @Test
  void theDefaultHaystackLoadsAndItsTokenCountsAddUp() {
    HaystackBuilder builder = HaystackBuilder.ofDefault(COUNTER);
    assertThat(builder.name()).isEqualTo(HaystackSources.DEFAULT_NAME);
    assertThat(builder.sourceTokens()).isBetween(40_000L, 60_000L);
    Haystack haystack = builder.build(100_000);
    assertThat(haystack.totalTokens()).isBetween(99_990, 100_000);
    assertThat(haystack.segments()).allSatisfy(s -> assertThat(s.text()).isNotBlank());
    assertThat(haystack.segment(0).text()).startsWith("CHAPTER 1. Loomings.\n\nCall me Ishmael.");
    // segment boundaries fall where cl100k's pre-tokenizer splits anyway, so the sum of the parts is exact here
    assertThat(COUNTER.count(haystack.text())).isEqualTo(haystack.totalTokens());
  }

  @Test
  void aFolderIsReadInNameOrderWithoutByteOrderMarksAndWithCrlf(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("b.txt"), "Second file.\r\n\r\nStill second.\r\n");
    Files.writeString(dir.resolve("a.txt"), "\uFEFFFirst file.");
    Files.writeString(dir.resolve("ignored.md"), "Not text.");
    HaystackBuilder builder = HaystackBuilder.ofFolder(dir, COUNTER);
    Haystack haystack = builder.build(1_000);
    assertThat(haystack.segment(0).text()).isEqualTo("First file.\n\n");
    assertThat(haystack.segment(1).source()).isEqualTo("b.txt");
    assertThat(haystack.text()).startsWith("First file.\n\nSecond file.\n\nStill second.\n\nFirst file.\n\n");
  }

  @Test
  void emptyInputsAreRejected(@TempDir Path dir) {
    assertThatThrownBy(() -> HaystackBuilder.ofFolder(dir, COUNTER)).hasMessageContaining("has no .txt files");
    assertThatThrownBy(() -> new HaystackBuilder("blank", List.of(new SourceText("x", " \n\n ")), COUNTER, 10))
        .hasMessageContaining("hold no text");
    assertThatThrownBy(() -> CatHaystack.builder().build(0)).hasMessageContaining("illegal haystack length 0");
  }
}
