package rag.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rag.ingest.parse.CodeLanguage;
import rag.ingest.parse.Fixtures;
import rag.ingest.parse.MetadataKeys;
import rag.ingest.parse.ParsedDocument;
import rag.ingest.parse.Section;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.TokenCounter;
import rag.storage.model.Chunk;
import rag.storage.model.Provenance;

class CodeDeclarationChunkerTest {
  private static final TokenCounter COUNTER = JTokkitTokenCounter.cl100k();

  @Test
  void declarationsOfEveryLanguage() throws Exception {
    assertThat(declarations("Inventory.java", CodeLanguage.JAVA)).containsExactly(
        "6..42 class Inventory", "10..16 class Inventory > method add", "18..23 class Inventory > method remove",
        "25..27 class Inventory > method isLow", "29..31 class Inventory > interface Listener",
        "30..30 class Inventory > interface Listener > method lowStock", "33..41 class Inventory > class Report",
        "34..40 class Inventory > class Report > method render");
    assertThat(declarations("shapes.py", CodeLanguage.PYTHON)).containsExactly("5..7 function circle_area",
        "10..18 class Shape", "13..14 class Shape > method area", "16..18 class Shape > method name",
        "21..26 class Square", "22..23 class Square > method __init__", "25..26 class Square > method area",
        "29..31 function fetch_shapes");
    assertThat(declarations("cart.ts", CodeLanguage.TYPESCRIPT)).containsExactly("3..6 interface CartLine",
        "8..18 class Cart", "11..13 class Cart > method add", "15..17 class Cart > method total",
        "20..20 function emptyCart", "22..24 function formatPrice");
    assertThat(declarations("app.js", CodeLanguage.JAVASCRIPT)).containsExactly("5..11 function createApp",
        "13..21 class Store", "14..16 class Store > constructor constructor", "18..20 class Store > method list");
    assertThat(declarations("server.go", CodeLanguage.GO)).containsExactly("8..11 struct Server",
        "13..16 method Server.Health", "18..22 function main");
    assertThat(declarations("matrix.cpp", CodeLanguage.CPP)).containsExactly("3..34 namespace linalg",
        "5..20 namespace linalg > class Matrix", "8..8 namespace linalg > class Matrix > constructor Matrix",
        "10..12 namespace linalg > class Matrix > method at",
        "14..14 namespace linalg > class Matrix > method multiply",
        "22..32 namespace linalg > method Matrix::multiply");
    assertThat(declarations("list.c", CodeLanguage.C)).containsExactly("3..6 struct node", "8..15 function push",
        "17..21 function length");
  }

  @Test
  void aMethodThatFitsIsOneChunkNamedAfterIt() {
    List<Chunk> chunks = chunk(java(), new ChunkingConfig(64, 8));
    assertThat(chunks).filteredOn(c -> "class Inventory > method remove".equals(c.provenance().section()))
        .singleElement().satisfies(c -> {
          assertThat(c.provenance()).isEqualTo(Provenance.lines(18, 23, "class Inventory > method remove"));
          assertThat(c.text()).startsWith("  @Deprecated\n  public int remove(").endsWith("return left;\n  }");
        });
  }

  @Test
  void smallNeighbouringDeclarationsShareAChunk() {
    String code = "int a() { return 1; }\nint b() { return 2; }\nint c() { return 3; }\n";
    List<Chunk> chunks = chunk(document(code, CodeLanguage.C), new ChunkingConfig(64, 0));
    assertThat(chunks).singleElement().satisfies(c -> {
      assertThat(c.text()).isEqualTo(code.strip());
      assertThat(c.provenance()).isEqualTo(Provenance.lines(1, 3, "function a"));
    });
  }

  @Test
  void aLineOverTheLimitIsCutIntoChunksOfThatLineAndNothingIsLost() {
    String longLine = "  var data = [" + "1234, ".repeat(80) + "0];";
    String code = "function f() {\n" + longLine + "\n}\n";
    List<Chunk> chunks = chunk(document(code, CodeLanguage.JAVASCRIPT), new ChunkingConfig(32, 0));
    assertThat(chunks).allSatisfy(c -> assertThat(c.tokenCount()).isLessThanOrEqualTo(32));
    assertThat(chunks).filteredOn(c -> c.provenance().lineStart() == 2 && c.provenance().lineEnd() == 2)
        .hasSizeGreaterThan(3).allSatisfy(c -> assertThat(longLine).contains(c.text()));
    String joined = String.join("\n", chunks.stream().map(Chunk::text).toList());
    assertThat(joined.replaceAll("\\s+", "")).isEqualTo(code.replaceAll("\\s+", ""));
  }

  @Test
  void linesCountFromTheSectionsFirstLine() {
    ParsedDocument document = new ParsedDocument("text/x-python", null, null, null, null,
        List.of(new Section("def f():\n    return 1\n", Provenance.lines(41, 42, null))),
        Map.of(MetadataKeys.CODE_LANGUAGE, "PYTHON"), null);
    assertThat(chunk(document, ChunkingConfig.DEFAULT)).singleElement()
        .extracting(Chunk::provenance).isEqualTo(Provenance.lines(41, 42, "function f"));
  }

  private static List<String> declarations(String fixture, CodeLanguage language) throws Exception {
    List<String> lines = CodeDeclarationChunker.lines(Files.readString(Fixtures.path(fixture)));
    return Declarations.find(lines, language).stream().map(d -> d.start() + ".." + d.end() + " " + d.path()).toList();
  }

  private static ParsedDocument java() {
    try {
      return document(Files.readString(Fixtures.path("Inventory.java")), CodeLanguage.JAVA);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ParsedDocument document(String code, CodeLanguage language) {
    int lines = CodeDeclarationChunker.lines(code).size();
    return new ParsedDocument("text/plain", null, null, null, null, List.of(new Section(code,
        Provenance.lines(1, lines, null))), Map.of(MetadataKeys.CODE_LANGUAGE, language.name()), null);
  }

  private static List<Chunk> chunk(ParsedDocument document, ChunkingConfig config) {
    List<Chunk> chunks = new CodeDeclarationChunker(config, COUNTER).chunk(document);
    chunks.forEach(c -> assertThat(c.tokenCount()).isEqualTo(COUNTER.count(c.text())));
    return chunks;
  }
}
