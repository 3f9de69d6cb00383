package rag.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import rag.ingest.chunk.Packer.Pack;
import rag.ingest.parse.ParsedDocument;
import rag.ingest.parse.Section;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.TokenCounter;
import rag.storage.model.Chunk;
import rag.storage.model.Provenance;

/**
 * Random cue lists: every cue's text once (plus overlap), a cue cut only when it is over the limit
 * on its own, times never going backwards, the speaker only when all cues agree. jqwik prints the
 * seed of a failing run; put it in {@code @Property(seed = "...")} to replay it.
 */
class TranscriptCueChunkerPropertiesTest {
  private static final TokenCounter COUNTER = JTokkitTokenCounter.cl100k();

  @Property(tries = 100)
  void cuesStayWholeAndInTimeOrder(@ForAll("cues") List<Section> cues,
      @ForAll @IntRange(min = 16, max = 300) int maxTokens, @ForAll @IntRange(min = 0, max = 100) int overlapPercent) {
    ChunkingConfig config = new ChunkingConfig(maxTokens, maxTokens / 2 * overlapPercent / 100);
    ParsedDocument document = new ParsedDocument("text/vtt", null, null, null, null, cues, Map.of(), null);
    TranscriptCueChunker chunker = new TranscriptCueChunker(config, COUNTER);

    List<Pack> packs = chunker.pack(document);
    PackRules.check(packs, config, COUNTER, TranscriptCueChunker::render);
    StringBuilder source = new StringBuilder();
    cues.forEach(c -> source.append(c.text()));
    assertThat(RandomTexts.withoutWhitespace(RandomTexts.bodies(packs)))
        .isEqualTo(RandomTexts.withoutWhitespace(source.toString()));
    Map<Provenance, Set<Integer>> packsOfCue = new HashMap<>();
    for (int i = 0; i < packs.size(); i++) {
      for (Unit unit : packs.get(i).body()) {
        packsOfCue.computeIfAbsent(unit.provenance(), p -> new HashSet<>()).add(i);
      }
    }
    for (Section cue : cues) {
      if (packsOfCue.getOrDefault(cue.provenance(), Set.of()).size() > 1) {
        String label = cue.provenance().speaker() == null ? "" : cue.provenance().speaker() + ": ";
        assertThat(COUNTER.count(cue.text().strip()))
            .as("cue split over chunks although it fits: %s", cue.text())
            .isGreaterThan(maxTokens - COUNTER.count(label) - 2);
      }
    }

    List<Chunk> chunks = chunker.chunk(document);
    for (int i = 0; i < chunks.size(); i++) {
      Chunk chunk = chunks.get(i);
      Provenance p = chunk.provenance();
      assertThat(chunk.tokenCount()).isEqualTo(COUNTER.count(chunk.text())).isLessThanOrEqualTo(maxTokens);
      assertThat(p.startMs()).isNotNull().isLessThanOrEqualTo(p.endMs());
      List<String> speakers = packs.get(i).all().stream().map(u -> u.provenance().speaker()).distinct().toList();
      assertThat(p.speaker()).isEqualTo(speakers.size() == 1 ? speakers.get(0) : null);
      if (i > 0) {
        Provenance before = chunks.get(i - 1).provenance();
        assertThat(p.startMs()).isGreaterThanOrEqualTo(before.startMs());
        assertThat(p.endMs()).isGreaterThanOrEqualTo(before.endMs());
      }
    }
  }

  /** Cues one after the other, without overlapping, a few speakers or none, some very long. */
  @Provide
  Arbitrary<List<Section>> cues() {
    Arbitrary<String> text = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(10, RandomTexts.sentence()), net.jqwik.api.Tuple.of(1, RandomTexts.paragraph()));
    Arbitrary<String> speaker = Arbitraries.of("ALICE", "BOB", "Dr Jean-Luc", "-");
    Arbitrary<Integer> millis = Arbitraries.integers().between(1, 20_000);
    return Combinators.combine(text, speaker, millis, millis).as(Cue::new).list().ofMinSize(1).ofMaxSize(40)
        .map(list -> {
          List<Section> sections = new ArrayList<>();
          long end = 0;
          for (Cue cue : list) {
            long start = end + cue.gap();
            end = start + cue.length();
            String who = cue.speaker().equals("-") ? null : cue.speaker();
            if (!cue.text().isBlank()) {
              sections.add(new Section(cue.text(), Provenance.times(start, end, who)));
            }
          }
          return sections.isEmpty() ? List.of(new Section("x", Provenance.times(0, 1, null))) : sections;
        });
  }

  private record Cue(String text, String speaker, int gap, int length) {
    Cue {
      Objects.requireNonNull(text);
    }
  }
}
