package rag.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import rag.ingest.chunk.Packer.Pack;
import rag.ingest.parse.CodeLanguage;
import rag.ingest.parse.MetadataKeys;
import rag.ingest.parse.ParsedDocument;
import rag.ingest.parse.Section;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.TokenCounter;
import rag.storage.model.Chunk;
import rag.storage.model.Provenance;

/**
 * Random code-like files (declarations, unbalanced braces, comments, strings, blank lines, lines far
 * over the limit) in every language: each chunk is a verbatim run of its lines {@code
 * lineStart..lineEnd}, every non-blank line is in a chunk, lines never go backwards, no chunk over
 * the limit. jqwik prints the seed of a failing run; put it in {@code @Property(seed = "...")}.
 */
class CodeDeclarationChunkerPropertiesTest {
  private static final TokenCounter COUNTER = JTokkitTokenCounter.cl100k();

  @Property(tries = 100)
  void chunksAreVerbatimLineRuns(@ForAll("code") List<String> lines, @ForAll CodeLanguage language,
      @ForAll @IntRange(min = 16, max = 300) int maxTokens, @ForAll @IntRange(min = 0, max = 100) int overlapPercent) {
    ChunkingConfig config = new ChunkingConfig(maxTokens, maxTokens / 2 * overlapPercent / 100);
    String text = String.join("\n", lines) + "\n";
    ParsedDocument document = new ParsedDocument("text/plain", null, null, null, null,
        List.of(new Section(text, Provenance.lines(1, lines.size(), null))),
        Map.of(MetadataKeys.CODE_LANGUAGE, language.name()), null);
    CodeDeclarationChunker chunker = new CodeDeclarationChunker(config, COUNTER);

    List<Pack> packs = chunker.pack(lines, 1, Declarations.find(lines, language));
    PackRules.check(packs, config, COUNTER, CodeDeclarationChunker::render);
    assertThat(RandomTexts.withoutWhitespace(RandomTexts.bodies(packs))).isEqualTo(RandomTexts.withoutWhitespace(text));

    List<Chunk> chunks = chunker.chunk(document);
    boolean[] covered = new boolean[lines.size() + 1];
    for (int i = 0; i < chunks.size(); i++) {
      Chunk chunk = chunks.get(i);
      Provenance p = chunk.provenance();
      assertThat(chunk.tokenCount()).isEqualTo(COUNTER.count(chunk.text())).isLessThanOrEqualTo(maxTokens);
      assertThat(p.lineStart()).isBetween(1, lines.size());
      assertThat(p.lineEnd()).isBetween(p.lineStart(), lines.size());
      String region = String.join("\n", lines.subList(p.lineStart() - 1, p.lineEnd()));
      assertThat(region).as("chunk %d is a verbatim part of lines %d..%d", i, p.lineStart(), p.lineEnd())
          .contains(chunk.text());
      assertThat(lines.get(p.lineStart() - 1)).isNotBlank();
      assertThat(lines.get(p.lineEnd() - 1)).isNotBlank();
      for (int line = p.lineStart(); line <= p.lineEnd(); line++) {
        covered[line] = true;
      }
      if (i > 0) {
        Provenance before = chunks.get(i - 1).provenance();
        assertThat(p.lineStart()).isGreaterThanOrEqualTo(before.lineStart());
        assertThat(p.lineEnd()).isGreaterThanOrEqualTo(before.lineEnd());
      }
    }
    for (int line = 1; line <= lines.size(); line++) {
      assertThat(covered[line] || lines.get(line - 1).isBlank()).as("line %d is in a chunk", line).isTrue();
    }
  }

  @Provide
  Arbitrary<List<String>> code() {
    Arbitrary<String> indent = Arbitraries.of("", "  ", "    ", "\t", "        ");
    Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
    Arbitrary<String> statement = Arbitraries.frequencyOf(
        Tuple.of(6, name.map(n -> n + "(x);")),
        Tuple.of(3, name.map(n -> "public class " + n + " {")),
        Tuple.of(3, name.map(n -> "void " + n + "(int a) {")),
        Tuple.of(3, name.map(n -> "def " + n + "(self):")),
        Tuple.of(2, name.map(n -> "func " + n + "() {")),
        Tuple.of(2, name.map(n -> "export function " + n + "() {")),
        Tuple.of(2, name.map(n -> "class " + n + ":")),
        Tuple.of(2, name.map(n -> "struct " + n + " {")),
        Tuple.of(5, Arbitraries.of("}", "};", "{", "})", "/* open", "*/", "// } {", "\"\"\"", "`", "'", "@Override")),
        Tuple.of(3, name.map(n -> "String s = \"" + n + " { \\\" }\";")),
        Tuple.of(3, Arbitraries.of("", "", "   ")),
        Tuple.of(2, RandomTexts.word().list().ofMinSize(1).ofMaxSize(12).map(w -> "# " + String.join(" ", w))),
        Tuple.of(1, RandomTexts.word().list().ofMinSize(200).ofMaxSize(600).map(w -> String.join(" ", w))),
        Tuple.of(1, Arbitraries.strings().withChars("ab{}();=.").ofMinLength(800).ofMaxLength(3000)));
    Arbitrary<String> line = Combinators.combine(indent, statement).as((i, s) -> s.isEmpty() ? s : i + s);
    return line.list().ofMinSize(1).ofMaxSize(80).filter(l -> l.stream().anyMatch(s -> !s.isBlank()));
  }
}
