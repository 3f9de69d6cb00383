package rag.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rag.ingest.parse.ParsedDocument;
import rag.ingest.parse.Section;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.TokenCounter;
import rag.storage.model.Chunk;
import rag.storage.model.Provenance;

class TextChunkerTest {
  private static final TokenCounter COUNTER = JTokkitTokenCounter.cl100k();

  @Test
  void chunksEndAtSentencesAndCarryTheirPageRange() {
    ParsedDocument document = pdf(
        new Section("The cat sat.", Provenance.pages(1, 1)),
        new Section("It was a sunny day. Birds were singing in the old oak tree. The dog slept by the door.",
            Provenance.pages(2, 2)),
        new Section("Nobody came to visit that afternoon.", Provenance.pages(4, 4)));
    List<Chunk> chunks = new TextChunker(new ChunkingConfig(24, 0), COUNTER).chunk(document);
    assertThat(chunks).extracting(Chunk::text).containsExactly(
        "The cat sat.\n\nIt was a sunny day. Birds were singing in the old oak tree.",
        "The dog slept by the door.\n\nNobody came to visit that afternoon.");
    assertThat(chunks).extracting(Chunk::provenance).containsExactly(Provenance.pages(1, 2), Provenance.pages(2, 4));
  }

  @Test
  void overlapRepeatsTheLastSentencesOfThePreviousChunk() {
    ParsedDocument document = pdf(new Section("One fish swims. Two fish swim. Red fish swim fast. Blue fish swim slow. "
        + "Old fish rest. New fish play.", Provenance.pages(1, 1)));
    List<Chunk> chunks = new TextChunker(new ChunkingConfig(16, 8), COUNTER).chunk(document);
    assertThat(chunks).extracting(Chunk::text).containsExactly(
        "One fish swims. Two fish swim. Red fish swim fast.",
        "Red fish swim fast. Blue fish swim slow. Old fish rest.",
        "Old fish rest. New fish play.");
  }

  @Test
  void aChunkAtLeastHalfFullPrefersToEndAtAParagraph() {
    String text = "First paragraph has a somewhat longer sentence in it here.\n\nSecond paragraph begins. "
        + "It goes on. And on.";
    List<Chunk> chunks = new TextChunker(new ChunkingConfig(20, 0), COUNTER).chunk(pdf(new Section(text,
        Provenance.pages(1, 1))));
    assertThat(chunks).extracting(Chunk::text).containsExactly(
        "First paragraph has a somewhat longer sentence in it here.",
        "Second paragraph begins. It goes on. And on.");
  }

  @Test
  void aSentenceOverTheLimitIsCutBetweenWordsAndNothingIsLost() {
    String sentence = "word ".repeat(100).strip() + " end.";
    List<Chunk> chunks = new TextChunker(new ChunkingConfig(16, 0), COUNTER).chunk(pdf(new Section(sentence,
        Provenance.pages(3, 3))));
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.tokenCount()).isEqualTo(COUNTER.count(c.text())).isLessThanOrEqualTo(16);
      assertThat(c.text()).doesNotStartWith(" ").doesNotEndWith(" ").matches("(word ?)*( ?end\\.)?");
      assertThat(c.provenance()).isEqualTo(Provenance.pages(3, 3));
    });
    assertThat(String.join(" ", chunks.stream().map(Chunk::text).toList())).isEqualTo(sentence);
  }

  @Test
  void aWordOverTheLimitIsCutBetweenCharactersNeverInsideASurrogatePair() {
    String word = "😀a".repeat(200);
    List<Chunk> chunks = new TextChunker(new ChunkingConfig(16, 0), COUNTER).chunk(pdf(new Section(word,
        Provenance.pages(1, 1))));
    assertThat(chunks).hasSizeGreaterThan(5).allSatisfy(c -> {
      assertThat(c.tokenCount()).isLessThanOrEqualTo(16);
      assertThat(Character.isLowSurrogate(c.text().charAt(0))).isFalse();
    });
    assertThat(String.join("", chunks.stream().map(Chunk::text).toList())).isEqualTo(word);
  }

  @Test
  void headingsBecomeTheSectionOfTheChunksThatStartUnderThem() {
    ParsedDocument document = new ParsedDocument("text/html", null, null, null, null, List.of(
        new Section("Leave\n\nTwenty-five days a year.", new Provenance(null, null, null, null, null, null, null, "Leave")),
        new Section("Expenses\n\nRefunded in thirty days.",
            new Provenance(null, null, null, null, null, null, null, "Expenses"))), Map.of(), null);
    List<Chunk> chunks = new TextChunker(new ChunkingConfig(16, 0), COUNTER).chunk(document);
    assertThat(chunks).extracting(c -> c.provenance().section()).containsExactly("Leave", "Expenses");
    assertThat(chunks.get(0).provenance().pageStart()).isNull();
  }

  @Test
  void blankSectionsGiveNoChunks() {
    assertThat(new TextChunker(ChunkingConfig.DEFAULT, COUNTER).chunk(pdf(new Section(" \n\n ",
        Provenance.pages(1, 1))))).isEmpty();
  }

  private static ParsedDocument pdf(Section... sections) {
    return new ParsedDocument("application/pdf", null, null, null, sections.length, List.of(sections), Map.of(), null);
  }
}
