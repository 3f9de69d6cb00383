package rag.ingest.chunk;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import rag.ingest.parse.ParsedDocument;
import rag.ingest.parse.Section;
import rag.ingest.parse.TableRows;
import rag.storage.embed.TokenCounter;
import rag.storage.model.Chunk;

/**
 * Chunks prose: PDF pages, office and HTML text, e-mail, plain text. Sections are cut into
 * sentences (a sentence over the limit into runs of words); chunks take whole sentences up to the
 * limit and, once at least half full, prefer to end at a section or paragraph end. A chunk may span
 * sections: it then carries the page range it covers ({@code pageStart..pageEnd}), and the section
 * name (heading) of its first new sentence. Overlap: the last sentences of the previous chunk, up
 * to {@code overlapTokens}. Sections are joined with a blank line; whitespace at their ends is not kept. A section
 * laid out as a table ({@link Section#table()}, PDF pages read row by row) is chunked apart: whole rows, the header row
 * at the top of every chunk, no overlap.
 */
public final class TextChunker implements Chunker {
  /** Text this short just before a table is its caption. */
  static final int CAPTION_TOKENS = 48;

  private final TokenCounter counter;
  private final ChunkingConfig config;

  public TextChunker(ChunkingConfig config, TokenCounter counter) {
    this.config = Objects.requireNonNull(config, "config");
    this.counter = Objects.requireNonNull(counter, "counter");
  }

  @Override
  public List<Chunk> chunk(ParsedDocument document) {
    List<Chunk> chunks = new ArrayList<>();
    List<Section> prose = new ArrayList<>();
    for (Section section : document.sections()) {
      if (section.table() == null) {
        prose.add(section);
        continue;
      }
      // a few words just before a table (a sheet's name, a caption) go on top of its first chunk, not alone
      String caption = String.join("\n", prose.stream().map(Section::text).toList()).strip();
      if (!caption.isEmpty() && counter.count(caption) <= CAPTION_TOKENS) {
        addTable(chunks, section, caption);
      } else {
        addProse(chunks, prose);
        addTable(chunks, section, "");
      }
      prose.clear();
    }
    addProse(chunks, prose);
    return chunks;
  }

  private void addProse(List<Chunk> chunks, List<Section> sections) {
    for (Packer.Pack pack : pack(sections)) {
      String section = pack.body().get(0).provenance().section();
      chunks.add(Chunk.draft(chunks.size(), pack.text(), pack.tokens(), Spans.cover(pack.all(), section),
          pack.overlapChars(), pack.overlapTokens()));
    }
  }

  /**
   * A table's rows in chunks of whole rows, each chunk beginning with the header row (the first after the caption, if
   * any), so that a row is found with the names of its columns; no overlap. A row too long for a chunk under the header
   * is cut into runs of words, each under the header; a header over half a chunk makes the table prose.
   */
  private void addTable(List<Chunk> chunks, Section section, String caption) {
    TableRows table = section.table();
    int headerTokens = counter.count(table.header());
    if (headerTokens > config.maxTokens() / 2) { // a header this wide leaves no room for rows: chunk it as prose
      addProse(chunks, caption.isEmpty() ? List.of(section)
          : List.of(new Section(caption, section.provenance()), section));
      return;
    }
    // a row too long for a chunk under its header is cut into runs of words, each under the header
    Splitter longRows = new Splitter(counter, config.maxTokens() - headerTokens - CAPTION_TOKENS - 2);
    StringBuilder text = new StringBuilder(caption.isEmpty() ? "" : caption + "\n").append(table.header());
    int rows = 0;
    int tokens = counter.count(text.toString());
    for (String row : table.rows()) {
      int rowTokens = counter.count("\n" + row);
      if (headerTokens + rowTokens > config.maxTokens()) {
        if (rows > 0) {
          addTableChunk(chunks, text.toString(), section);
          text = new StringBuilder(table.header());
        }
        for (Unit piece : longRows.sentences(row, section.provenance(), " ")) {
          addTableChunk(chunks, text.append('\n').append(piece.text()).toString(), section);
          text = new StringBuilder(table.header());
        }
        tokens = headerTokens;
        rows = 0;
        continue;
      }
      if (rows > 0 && tokens + rowTokens > config.maxTokens()) {
        addTableChunk(chunks, text.toString(), section);
        text = new StringBuilder(table.header());
        tokens = headerTokens;
        rows = 0;
      }
      text.append('\n').append(row);
      tokens += rowTokens;
      rows++;
    }
    if (rows > 0) {
      addTableChunk(chunks, text.toString(), section);
    }
  }

  private void addTableChunk(List<Chunk> chunks, String text, Section section) {
    chunks.add(Chunk.draft(chunks.size(), text, counter.count(text), section.provenance()));
  }

  List<Packer.Pack> pack(ParsedDocument document) {
    return pack(document.sections());
  }

  private List<Packer.Pack> pack(List<Section> sections) {
    if (sections.isEmpty()) {
      return List.of();
    }
    Splitter splitter = new Splitter(counter, config.maxTokens());
    List<Unit> units = new ArrayList<>();
    for (Section section : sections) {
      units.addAll(splitter.sentences(section.text(), section.provenance(), "\n\n"));
    }
    return new Packer(counter, config, 0.5, Integer.MAX_VALUE, Packer.JOIN).pack(units);
  }
}
