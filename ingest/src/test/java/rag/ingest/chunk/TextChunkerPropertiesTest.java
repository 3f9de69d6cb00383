package rag.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Rules that hold for any text (after Lucene's checkRandomData): no chunk over the limit and every
 * count exact, no text lost or repeated except the overlap, pages never going backwards. Text is
 * compared without whitespace: the chunker keeps the whitespace inside a chunk as it is, but not at
 * chunk and section ends, and joins sections with a blank line. jqwik prints the seed of a
 * failing run; put it in {@code @Property(seed = "...")} to replay it.
 */
class TextChunkerPropertiesTest {
  private static final TokenCounter COUNTER = JTokkitTokenCounter.cl100k();

  @Property(tries = 100)
  void chunksKeepEveryWordOnceWithinTheLimitInPageOrder(@ForAll("pages") List<Section> sections,
      @ForAll @IntRange(min = 16, max = 300) int maxTokens, @ForAll @IntRange(min = 0, max = 100) int overlapPercent) {
    ChunkingConfig config = new ChunkingConfig(maxTokens, maxTokens / 2 * overlapPercent / 100);
    ParsedDocument document = new ParsedDocument("application/pdf", null, null, null, null, sections, Map.of(), null);
    TextChunker chunker = new TextChunker(config, COUNTER);

    List<Pack> packs = chunker.pack(document);
    StringBuilder source = new StringBuilder();
    sections.forEach(s -> source.append(s.text()));
    assertThat(RandomTexts.withoutWhitespace(RandomTexts.bodies(packs)))
        .isEqualTo(RandomTexts.withoutWhitespace(source.toString()));
    PackRules.check(packs, config, COUNTER, Packer.JOIN);

    List<Chunk> chunks = chunker.chunk(document);
    String collapsedSource = collapse(String.join(" ", sections.stream().map(Section::text).toList()));
    assertThat(chunks).hasSameSizeAs(packs);
    for (int i = 0; i < chunks.size(); i++) {
      Chunk chunk = chunks.get(i);
      assertThat(chunk.ordinal()).isEqualTo(i);
      assertThat(chunk.tokenCount()).isEqualTo(COUNTER.count(chunk.text())).isLessThanOrEqualTo(maxTokens);
      assertThat(collapsedSource).contains(collapse(chunk.text()));
      Provenance p = chunk.provenance();
      assertThat(p.pageStart()).isNotNull().isLessThanOrEqualTo(p.pageEnd());
      if (i > 0) {
        Provenance before = chunks.get(i - 1).provenance();
        assertThat(p.pageStart()).isGreaterThanOrEqualTo(before.pageStart());
        assertThat(p.pageEnd()).isGreaterThanOrEqualTo(before.pageEnd());
      }
    }
  }

  /** Sections on pages that only go forward, sometimes several sections on one page. */
  @Provide
  Arbitrary<List<Section>> pages() {
    Arbitrary<Integer> step = Arbitraries.of(0, 1, 1, 1, 2, 5);
    return Combinators.combine(RandomTexts.sectionText(), step).as(Part::new).list().ofMinSize(1).ofMaxSize(6)
        .map(parts -> {
          List<Section> sections = new ArrayList<>();
          int page = 1;
          for (Part part : parts) {
            page += sections.isEmpty() ? 0 : part.step();
            sections.add(new Section(part.text(), Provenance.pages(page, page)));
          }
          return sections;
        });
  }

  private record Part(String text, int step) {}

  private static String collapse(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }
}
