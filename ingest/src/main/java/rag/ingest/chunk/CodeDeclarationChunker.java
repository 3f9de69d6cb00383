package rag.ingest.chunk;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import rag.ingest.parse.CodeLanguage;
import rag.ingest.parse.ParsedDocument;
import rag.ingest.parse.Section;
import rag.storage.embed.TokenCounter;
import rag.storage.model.Chunk;
import rag.storage.model.Provenance;

/**
 * Chunks source code along its declarations (see {@link Declarations}): a chunk ends, by
 * preference, where a top-level declaration ends, then where a nested one does, then at a blank
 * line, then at any line; small neighbouring declarations share a chunk up to the limit. Lines are
 * never cut, with one exception: a single line over the limit (minified code, a data blob) is cut
 * into pieces at spaces, or at characters when it has none, and each piece is a chunk of its own
 * carrying that line number, so that no text is ever dropped. Chunks carry their exact 1-based
 * {@code lineStart..lineEnd} (blank lines at their ends are left out) and, in {@code section}, the
 * innermost declaration holding them all ({@code class Foo > method bar}), or else the first
 * declaration they contain. Overlap (the previous lines, up to {@code overlapTokens}) is added only
 * when a declaration had to be cut, never between declarations.
 */
public final class CodeDeclarationChunker implements Chunker {
  private static final int TOP_LEVEL = 10;
  private static final int BLANK_LINE = 1;

  private final TokenCounter counter;
  private final ChunkingConfig config;

  public CodeDeclarationChunker(ChunkingConfig config, TokenCounter counter) {
    this.config = Objects.requireNonNull(config, "config");
    this.counter = Objects.requireNonNull(counter, "counter");
  }

  @Override
  public List<Chunk> chunk(ParsedDocument document) {
    List<Chunk> chunks = new ArrayList<>();
    CodeLanguage language = CodeLanguage.of(document);
    for (Section section : document.sections()) {
      int firstLine = section.provenance().lineStart() == null ? 1 : section.provenance().lineStart();
      List<String> lines = lines(section.text());
      List<Declaration> declarations = Declarations.find(lines, language);
      for (Packer.Pack pack : pack(lines, firstLine, declarations)) {
        Provenance lines0 = Spans.cover(nonBlank(pack.all()), null);
        int start = lines0.lineStart();
        int end = lines0.lineEnd();
        String symbol = symbol(declarations, start - firstLine + 1, end - firstLine + 1);
        chunks.add(Chunk.draft(chunks.size(), pack.text(), pack.tokens(), Provenance.lines(start, end, symbol),
            pack.overlapChars(), pack.overlapTokens()));
      }
    }
    return chunks;
  }

  List<Packer.Pack> pack(List<String> lines, int firstLine, List<Declaration> declarations) {
    int[] boundary = boundaries(lines, declarations);
    Splitter splitter = new Splitter(counter, config.maxTokens());
    List<Unit> units = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Provenance at = Provenance.lines(firstLine + i, firstLine + i, null);
      String line = lines.get(i);
      int tokens = counter.count(line);
      if (tokens <= config.maxTokens()) {
        units.add(new Unit(line, "\n", tokens, boundary[i], at));
        continue;
      }
      List<Unit> pieces = splitter.words(line, at); // the last resort: one line over the limit
      Unit last = pieces.get(pieces.size() - 1);
      pieces.set(pieces.size() - 1, last.withGapAfter(last.gapAfter() + "\n").withBoundaryAfter(boundary[i]));
      units.addAll(pieces);
    }
    return new Packer(counter, config, 0.0, BLANK_LINE + 1, CodeDeclarationChunker::render).pack(units);
  }

  /** The lines joined as in the source, without blank lines at either end. */
  static String render(List<Unit> units) {
    int from = 0;
    int to = units.size();
    while (from < to && units.get(from).text().isBlank()) {
      from++;
    }
    while (to > from && units.get(to - 1).text().isBlank()) {
      to--;
    }
    return Packer.JOIN.render(units.subList(from, to));
  }

  /** How good a place to end a chunk the end of each line is (0-based lines). */
  private static int[] boundaries(List<String> lines, List<Declaration> declarations) {
    int[] strength = new int[lines.size()];
    for (int i = 0; i + 1 < lines.size(); i++) {
      strength[i] = lines.get(i).isBlank() || lines.get(i + 1).isBlank() ? BLANK_LINE : 0;
    }
    for (Declaration d : declarations) {
      int value = Math.max(BLANK_LINE + 1, TOP_LEVEL - d.depth());
      if (d.start() >= 2) {
        strength[d.start() - 2] = Math.max(strength[d.start() - 2], value);
      }
      strength[d.end() - 1] = Math.max(strength[d.end() - 1], value);
    }
    return strength;
  }

  private static String symbol(List<Declaration> declarations, int from, int to) {
    Declaration enclosing = null;
    for (Declaration d : declarations) {
      if (d.contains(from, to) && (enclosing == null || d.depth() > enclosing.depth())) {
        enclosing = d;
      }
    }
    if (enclosing != null) {
      return enclosing.path();
    }
    for (Declaration d : declarations) {
      if (d.start() >= from && d.start() <= to || d.contains(from, from)) {
        return d.path();
      }
    }
    return null;
  }

  private static List<Unit> nonBlank(List<Unit> units) {
    List<Unit> kept = new ArrayList<>();
    for (Unit unit : units) {
      if (!unit.text().isBlank()) {
        kept.add(unit);
      }
    }
    return kept;
  }

  /** Split at \r\n, \r or \n; a final line break does not start another line (as in {@code PlainText}). */
  static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\r\n|\r|\n", -1)));
    if (lines.size() > 1 && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }
}
