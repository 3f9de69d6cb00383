package rag.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import rag.ingest.chunk.Chunkers;
import rag.ingest.chunk.ChunkingConfig;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.model.Chunk;
import rag.storage.model.Provenance;

/**
 * PDF tables read row by row (Tika alone reads them column by column): each row with its cells in order, the header
 * found, and chunks of whole rows that each begin with the header; multi-column prose is not taken for a table.
 */
class PdfTablesTest {
  private static final ChunkingConfig CHUNKING = new ChunkingConfig(400, 50);

  private static List<Chunk> chunks(ParsedDocument parsed) {
    return Chunkers.byFormat(CHUNKING, JTokkitTokenCounter.cl100k()).chunk(parsed);
  }

  @Test
  void aTablePageIsReadRowByRowAndChunkedInWholeRowsUnderItsHeader() throws Exception {
    ParsedDocument parsed = Fixtures.PARSER.parse(Fixtures.source("nics-background-checks-table.pdf"));
    List<Section> tables = parsed.sections().stream().filter(s -> s.table() != null).toList();
    assertThat(tables).hasSize(1);
    TableRows table = tables.get(0).table();
    assertThat(table.header()).startsWith("State / Territory | Permit | Handgun | Long Gun").endsWith("| Totals");
    assertThat(table.rows()).contains("Alabama | 18,870 | 23,022 | 22,650 | 859 | 1,178 | 0 | 14 | 15 | 0 | 2,179"
        + " | 2,307 | 11 | 0 | 0 | 0 | 13 | 14 | 0 | 3 | 2 | 0 | 71,137");
    assertThat(table.rows()).anyMatch(r -> r.startsWith("Wyoming | "));
    assertThat(tables.get(0).provenance()).isEqualTo(Provenance.pages(1, 1));

    List<Chunk> chunks = chunks(parsed).stream().filter(c -> List.of(c.text().split("\n")).contains(table.header()))
        .toList();
    assertThat(chunks).as("a table of ~55 rows of 25 cells fills several chunks").hasSizeGreaterThan(3);
    assertThat(chunks).allSatisfy(c -> {
      List<String> lines = List.of(c.text().split("\n"));
      assertThat(lines.subList(lines.indexOf(table.header()) + 1, lines.size())).as("rows below the header")
          .allMatch(table.rows()::contains);
      assertThat(c.tokenCount()).isLessThanOrEqualTo(CHUNKING.maxTokens());
      assertThat(c.provenance().pageStart()).isEqualTo(1);
      assertThat(c.overlapChars()).isZero();
    });
    for (String row : table.rows()) {
      assertThat(chunks).as("row %s whole, in one chunk", row)
          .filteredOn(c -> List.of(c.text().split("\n")).contains(row)).hasSize(1);
    }
  }

  @Test
  void multiColumnProseIsNotATable() throws Exception {
    ParsedDocument parsed = Fixtures.PARSER.parse(Fixtures.source("federal-register-3col-page.pdf"));
    assertThat(parsed.sections()).allSatisfy(s -> assertThat(s.table()).isNull());
    assertThat(PdfTables.table(List.of(List.of("one", "two", "three")), null)).as("too few rows").isNull();
  }

  /** A table over many pages whose header is printed on the first alone: the later pages carry it on. */
  @Test
  void aTableContinuedOverPagesKeepsItsHeader() throws Exception {
    Path warn = Path.of("..", "..", "shared", "corpora", "pdfs", "us-ca-warn-report-2015-2016-table.pdf");
    Path fromRoot = Path.of("..", "shared", "corpora", "pdfs", "us-ca-warn-report-2015-2016-table.pdf");
    Path file = Files.exists(warn) ? warn : Path.of("..").resolve(fromRoot);
    Assumptions.assumeTrue(Files.exists(file), "../shared/corpora is not here: the WARN report (its licence is not"
        + " stated) is read from there, not kept as a fixture");
    ParsedDocument parsed = Fixtures.PARSER.parse(new Source("warn.pdf", file, Files.size(file)));
    List<Section> tables = parsed.sections().stream().filter(s -> s.table() != null).toList();
    assertThat(tables).hasSize(16);
    String header = tables.get(0).table().header();
    assertThat(header).startsWith("Notice Date | Effective | Received | Company | City");
    // the layoff notices run over the pages under one header; the last pages hold a summary table of their own
    assertThat(tables.stream().filter(t -> t.table().header().equals(header)).count()).isGreaterThanOrEqualTo(14);
    assertThat(tables.get(0).table().rows()).contains("06/22/2015 | 03/25/2016 | 07/01/2015 | Maxim Integrated"
        + " Product | San Jose | 150 | Closure Permanent");
  }
}
