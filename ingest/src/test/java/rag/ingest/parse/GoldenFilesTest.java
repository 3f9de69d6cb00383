package rag.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rag.ingest.chunk.ChunkingConfig;
import rag.ingest.chunk.Chunkers;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.TokenCounter;
import rag.storage.model.Chunk;
import rag.storage.model.Provenance;

/**
 * Parses and chunks one real file per format and compares a summary (type, metadata, warnings,
 * the first sections and chunks with their provenance and the start of their text) with
 * {@code <fixture>.expected.json}. After a deliberate change, regenerate the files with
 * {@code mvn -f ingest/pom.xml test -Dtest=GoldenFilesTest -Dgolden.update=true} and review the diff.
 */
class GoldenFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final TokenCounter COUNTER = JTokkitTokenCounter.cl100k();
  private static final ChunkingConfig CHUNKING = new ChunkingConfig(64, 8);
  private static final int SHOWN = 6;
  private static final int TEXT_SHOWN = 80;

  @ParameterizedTest
  @ValueSource(strings = {"us-scotus-transcript-p1.pdf", "report-blank-page.pdf", "two-columns.pdf",
      "handbook.docx", "quarterly.pptx", "budget.xlsx", "minutes.odt", "guide.html", "notes.md", "message.eml",
      "cities.csv", "config.json", "latin1-notes.txt", "meeting.vtt", "lecture-crlf-bom.srt", "Inventory.java",
      "shapes.py", "cart.ts", "app.js", "server.go", "matrix.cpp", "list.c"})
  void matchesExpected(String fixture) throws Exception {
    ParsedDocument document = Fixtures.parse(fixture);
    List<Chunk> chunks = Chunkers.forDocument(document, CHUNKING, COUNTER).chunk(document);
    for (Chunk chunk : chunks) {
      assertThat(chunk.tokenCount()).isEqualTo(COUNTER.count(chunk.text())).isLessThanOrEqualTo(64);
    }
    String actual = JSON.writeValueAsString(summary(fixture, document, chunks));
    Path expectedFile = Fixtures.path(fixture).resolveSibling(fixture + ".expected.json");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(Path.of("src/test/resources/fixtures", fixture + ".expected.json"), actual + "\n");
      return;
    }
    assertThat(expectedFile).as("golden file; create it with -Dgolden.update=true").exists();
    JsonNode expected = JSON.readTree(expectedFile.toFile());
    assertThat(actual).isEqualTo(JSON.writeValueAsString(expected));
  }

  private static Map<String, Object> summary(String fixture, ParsedDocument document, List<Chunk> chunks) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("fixture", fixture);
    summary.put("mediaType", document.mediaType());
    summary.put("title", document.title());
    summary.put("author", document.author());
    summary.put("language", document.language());
    summary.put("pageCount", document.pageCount());
    Map<String, String> ours = new LinkedHashMap<>();
    document.metadata().entrySet().stream()
        .filter(e -> e.getKey().startsWith("rag:") && !e.getKey().equals(MetadataKeys.OCR))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> ours.put(e.getKey(), e.getValue()));
    summary.put("metadata", ours);
    // only the part of a warning that does not depend on whether Tesseract is installed
    summary.put("warnings", document.warnings().stream().map(w -> w.replaceFirst(" \\(.*$", "")).toList());
    List<Object> sections = new ArrayList<>();
    for (Section section : document.sections().subList(0, Math.min(SHOWN, document.sections().size()))) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("provenance", provenance(section.provenance()));
      entry.put("text", start(section.text()));
      sections.add(entry);
    }
    summary.put("sectionCount", document.sections().size());
    summary.put("sections", sections);
    List<Object> shown = new ArrayList<>();
    for (Chunk chunk : chunks.subList(0, Math.min(SHOWN, chunks.size()))) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("ordinal", chunk.ordinal());
      entry.put("tokens", chunk.tokenCount());
      entry.put("provenance", provenance(chunk.provenance()));
      entry.put("text", start(chunk.text()));
      shown.add(entry);
    }
    summary.put("chunkCount", chunks.size());
    summary.put("chunks", shown);
    return summary;
  }

  private static Map<String, Object> provenance(Provenance p) {
    Map<String, Object> fields = new LinkedHashMap<>();
    put(fields, "pageStart", p.pageStart());
    put(fields, "pageEnd", p.pageEnd());
    put(fields, "lineStart", p.lineStart());
    put(fields, "lineEnd", p.lineEnd());
    put(fields, "startMs", p.startMs());
    put(fields, "endMs", p.endMs());
    put(fields, "speaker", p.speaker());
    put(fields, "section", p.section());
    return fields;
  }

  private static void put(Map<String, Object> fields, String key, Object value) {
    if (value != null) {
      fields.put(key, value);
    }
  }

  private static String start(String text) {
    String collapsed = text.replaceAll("\\s+", " ").strip();
    return collapsed.length() <= TEXT_SHOWN ? collapsed : collapsed.substring(0, TEXT_SHOWN) + "...";
  }
}
