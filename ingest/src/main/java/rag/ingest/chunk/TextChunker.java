package rag.ingest.chunk;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import rag.ingest.parse.ParsedDocument;
import rag.ingest.parse.Section;
import rag.storage.embed.TokenCounter;
import rag.storage.model.Chunk;

/**
 * Chunks prose: PDF pages, office and HTML text, e-mail, plain text. Sections are cut into
 * sentences (a sentence over the limit into runs of words); chunks take whole sentences up to the
 * limit and, once at least half full, prefer to end at a section or paragraph end. A chunk may span
 * sections: it then carries the page range it covers ({@code pageStart..pageEnd}), and the section
 * name (heading) of its first new sentence. Overlap: the last sentences of the previous chunk, up
 * to {@code overlapTokens}. Sections are joined with a blank line; whitespace at their ends is not kept.
 */
public final class TextChunker implements Chunker {
  private final TokenCounter counter;
  private final ChunkingConfig config;

  public TextChunker(ChunkingConfig config, TokenCounter counter) {
    this.config = Objects.requireNonNull(config, "config");
    this.counter = Objects.requireNonNull(counter, "counter");
  }

  @Override
  public List<Chunk> chunk(ParsedDocument document) {
    List<Chunk> chunks = new ArrayList<>();
    for (Packer.Pack pack : pack(document)) {
      String section = pack.body().get(0).provenance().section();
      chunks.add(Chunk.draft(chunks.size(), pack.text(), pack.tokens(), Spans.cover(pack.all(), section),
          pack.overlapChars(), pack.overlapTokens()));
    }
    return chunks;
  }

  List<Packer.Pack> pack(ParsedDocument document) {
    Splitter splitter = new Splitter(counter, config.maxTokens());
    List<Unit> units = new ArrayList<>();
    for (Section section : document.sections()) {
      units.addAll(splitter.sentences(section.text(), section.provenance(), "\n\n"));
    }
    return new Packer(counter, config, 0.5, Integer.MAX_VALUE, Packer.JOIN).pack(units);
  }
}
