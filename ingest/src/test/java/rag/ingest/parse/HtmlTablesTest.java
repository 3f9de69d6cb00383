package rag.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.ingest.chunk.Chunkers;
import rag.ingest.chunk.ChunkingConfig;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.model.Chunk;

/**
 * Tables in Tika's XHTML (HTML here; office files and spreadsheets come the same way): rows kept with their header,
 * a nested table as its cell's text, a one-row table as text, and the text around a table where it was.
 */
class HtmlTablesTest {
  @TempDir
  Path dir;

  @Test
  void aTableBecomesRowsUnderItsHeaderAndTheTextAroundItStays() throws Exception {
    Path html = Files.writeString(dir.resolve("harbour.html"), """
        <html><head><title>Harbour</title></head><body>
        <h1>Moorings</h1>
        <p>The harbour master keeps the list below.</p>
        <table>
          <thead><tr><th>Berth</th><th>Vessel</th><th>Length (m)</th></tr></thead>
          <tbody>
            <tr><td>A1</td><td>Marguerite</td><td>12</td></tr>
            <tr><td>A2</td><td>North Star</td><td>9</td></tr>
            <tr><td>B1</td><td><table><tr><td>Sea</td><td>Lark</td></tr></table></td><td>15</td></tr>
          </tbody>
        </table>
        <p>Fees are paid monthly.</p>
        <table><tr><td>Only</td><td>one row</td></tr></table>
        </body></html>
        """);
    ParsedDocument parsed = Fixtures.PARSER.parse(new Source("harbour.html", html, Files.size(html)));
    List<Section> tables = parsed.sections().stream().filter(s -> s.table() != null).toList();
    assertThat(tables).hasSize(1);
    TableRows table = tables.get(0).table();
    assertThat(table.header()).isEqualTo("Berth | Vessel | Length (m)");
    assertThat(table.rows()).containsExactly("A1 | Marguerite | 12", "A2 | North Star | 9", "B1 | Sea Lark | 15");
    assertThat(tables.get(0).provenance().section()).isEqualTo("Moorings");
    String all = String.join("\n", parsed.sections().stream().map(Section::text).toList());
    assertThat(all).contains("The harbour master keeps the list below.").contains("Fees are paid monthly.")
        .contains("Only one row");
    assertThat(all.indexOf("keeps the list")).isLessThan(all.indexOf("Berth"));
    assertThat(all.indexOf("Berth")).isLessThan(all.indexOf("Fees are paid"));

    List<Chunk> chunks = Chunkers.byFormat(new ChunkingConfig(400, 50), JTokkitTokenCounter.cl100k()).chunk(parsed);
    assertThat(chunks).anySatisfy(c -> assertThat(c.text()).contains("Berth | Vessel | Length (m)\nA1 | Marguerite"
        + " | 12\nA2 | North Star | 9\nB1 | Sea Lark | 15"));
    assertThat(chunks).anySatisfy(c -> assertThat(c.text()).contains("Fees are paid monthly."));

    ParsedDocument asText = new TikaParser(ParserLimits.DEFAULT, false).parse(new Source("harbour.html", html,
        Files.size(html)));
    assertThat(asText.sections()).as("rag.ingest.tables=false").allSatisfy(s -> assertThat(s.table()).isNull());
    assertThat(String.join(" ", asText.sections().stream().map(Section::text).toList())).contains("Marguerite");
    Path csv = Files.writeString(dir.resolve("b.csv"), "berth,vessel\nA1,Marguerite\nA2,North Star\n");
    assertThat(new TikaParser(ParserLimits.DEFAULT, false).parse(new Source("b.csv", csv, Files.size(csv)))
        .sections()).allSatisfy(s -> assertThat(s.table()).isNull());
  }

  /** Tika sniffs plain text with commas on every line as CSV and emits a table; prose stays prose. */
  @Test
  void plainTextWithCommasIsNoTable() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 40; i++) {
      text.append("Entry ").append(i).append(": the harbour master logged the tides at dawn, ").append(i % 7)
          .append(" feet over the mark, and the boats left before the bell.\n");
    }
    Path notes = Files.writeString(dir.resolve("harbour.txt"), text);
    ParsedDocument parsed = Fixtures.PARSER.parse(new Source("harbour.txt", notes, Files.size(notes)));
    assertThat(parsed.mediaType()).isEqualTo("text/plain");
    assertThat(parsed.sections()).allSatisfy(s -> assertThat(s.table()).isNull());
    assertThat(parsed.sections().get(0).text()).contains("logged the tides at dawn").contains("1 feet over the mark");
  }
}
