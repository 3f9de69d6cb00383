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

class TranscriptCueChunkerTest {
  private static final TokenCounter COUNTER = JTokkitTokenCounter.cl100k();

  @Test
  void wholeCuesWithTimesOfFirstAndLastAndTheCommonSpeaker() {
    List<Chunk> chunks = chunk(new ChunkingConfig(24, 0),
        cue("Good morning, everyone.", 1_000, 3_500, "JOHN"),
        cue("Today we look at the tides.", 3_500, 6_000, "JOHN"),
        cue("Why are there two tides a day?", 6_000, 9_200, "MARY"),
        cue("Because the Moon pulls the far side too.", 9_200, 12_000, "JOHN"));
    assertThat(chunks).extracting(Chunk::text).containsExactly(
        "JOHN: Good morning, everyone.\nToday we look at the tides.",
        "MARY: Why are there two tides a day?\nJOHN: Because the Moon pulls the far side too.");
    assertThat(chunks).extracting(Chunk::provenance).containsExactly(
        Provenance.times(1_000, 6_000, "JOHN"), Provenance.times(6_000, 12_000, null));
  }

  @Test
  void aCueOverTheLimitIsTheOnlyOneCutAndItsPiecesKeepItsTimes() {
    String longCue = "This cue goes on and on. ".repeat(12).strip();
    List<Chunk> chunks = chunk(new ChunkingConfig(20, 0), cue("Short one.", 0, 1_000, null),
        cue(longCue, 1_000, 60_000, "ANN"), cue("Short two.", 60_000, 61_000, null));
    assertThat(chunks).allSatisfy(c -> assertThat(c.tokenCount()).isLessThanOrEqualTo(20));
    List<Chunk> pieces = chunks.stream().filter(c -> c.text().contains("ANN: ")).toList();
    assertThat(pieces).hasSizeGreaterThan(2).allSatisfy(c -> {
      assertThat(c.provenance().startMs()).isLessThanOrEqualTo(1_000);
      assertThat(c.provenance().endMs()).isGreaterThanOrEqualTo(60_000);
    });
    String all = String.join(" ", chunks.stream().map(Chunk::text).toList()).replace("ANN: ", "");
    assertThat(all.replaceAll("\\s+", "")).isEqualTo(("Short one." + longCue + "Short two.").replaceAll("\\s+", ""));
  }

  @Test
  void overlapRepeatsTheLastCues() {
    List<Chunk> chunks = chunk(new ChunkingConfig(16, 6), cue("Alpha beta gamma.", 0, 1, null),
        cue("Delta epsilon.", 1, 2, null), cue("Zeta eta theta iota.", 2, 3, null), cue("Kappa.", 3, 4, null));
    assertThat(chunks).extracting(Chunk::text)
        .containsExactly("Alpha beta gamma.\nDelta epsilon.\nZeta eta theta iota.", "Zeta eta theta iota.\nKappa.");
    assertThat(chunks.get(1).provenance()).isEqualTo(Provenance.times(2, 4, null));
  }

  private static List<Chunk> chunk(ChunkingConfig config, Section... cues) {
    return new TranscriptCueChunker(config, COUNTER).chunk(
        new ParsedDocument("text/vtt", null, null, null, null, List.of(cues), Map.of(), null));
  }

  private static Section cue(String text, long start, long end, String speaker) {
    return new Section(text, Provenance.times(start, end, speaker));
  }
}
