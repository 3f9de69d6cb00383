package rag.ingest.chunk;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import rag.ingest.parse.ParsedDocument;
import rag.ingest.parse.Section;
import rag.storage.embed.TokenCounter;
import rag.storage.model.Chunk;

/**
 * Chunks transcripts: whole cues, one per line, up to the limit; once half full a chunk prefers to
 * end where the speaker changes. A chunk carries the start of its first cue, the end of its last,
 * and the speaker when all its cues share one (else null). The text names the speaker at the start
 * of the chunk and wherever it changes ({@code ALICE: ...}). A cue over the limit on its own is the
 * only one cut (at sentences, then words); its pieces keep the cue's times. Overlap: the last cues
 * of the previous chunk, up to {@code overlapTokens}.
 */
public final class TranscriptCueChunker implements Chunker {
  private static final int CUE = 1;
  private static final int TURN = 2;

  private final TokenCounter counter;
  private final ChunkingConfig config;

  public TranscriptCueChunker(ChunkingConfig config, TokenCounter counter) {
    this.config = Objects.requireNonNull(config, "config");
    this.counter = Objects.requireNonNull(counter, "counter");
  }

  @Override
  public List<Chunk> chunk(ParsedDocument document) {
    List<Chunk> chunks = new ArrayList<>();
    for (Packer.Pack pack : pack(document)) {
      chunks.add(Chunk.draft(chunks.size(), pack.text(), pack.tokens(), Spans.cover(pack.all(), null),
          pack.overlapChars(), pack.overlapTokens()));
    }
    return chunks;
  }

  List<Packer.Pack> pack(ParsedDocument document) {
    List<Unit> units = new ArrayList<>();
    List<Section> cues = document.sections();
    for (int c = 0; c < cues.size(); c++) {
      Section cue = cues.get(c);
      String speaker = cue.provenance().speaker();
      boolean turnEnds = c + 1 == cues.size() || !Objects.equals(speaker, cues.get(c + 1).provenance().speaker());
      int boundary = turnEnds ? TURN : CUE;
      String text = cue.text().strip();
      if (text.isEmpty()) {
        continue;
      }
      int prefix = speaker == null ? 0 : counter.count(label(speaker)) + 1;
      Splitter splitter = new Splitter(counter, config.maxTokens() - prefix - 1);
      List<Unit> pieces = new ArrayList<>();
      splitter.addTrimmed(pieces, text, boundary, cue.provenance());
      Unit last = pieces.get(pieces.size() - 1);
      pieces.set(pieces.size() - 1, last.withGapAfter("\n").withBoundaryAfter(boundary));
      units.addAll(pieces);
    }
    return new Packer(counter, config, 0.5, Integer.MAX_VALUE, TranscriptCueChunker::render).pack(units);
  }

  /** Units joined with their gaps, with the speaker's label where the speaker changes. */
  static String render(List<Unit> units) {
    StringBuilder text = new StringBuilder();
    String current = null;
    for (int i = 0; i < units.size(); i++) {
      Unit unit = units.get(i);
      String speaker = unit.provenance().speaker();
      if (speaker != null && (i == 0 || !speaker.equals(current))) {
        text.append(label(speaker));
      }
      current = speaker;
      text.append(unit.text());
      if (i + 1 < units.size()) {
        text.append(unit.gapAfter());
      }
    }
    return text.toString();
  }

  private static String label(String speaker) {
    return speaker + ": ";
  }
}
