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

/** CSV and TSV files as tables: quoted fields read as RFC 4180 says, every chunk of rows under the header. */
class DelimitedTablesTest {
  @TempDir
  Path dir;

  @Test
  void quotedFieldsKeepTheirDelimitersQuotesAndLineBreaks() {
    assertThat(PlainText.records("a,\"b, c\",\"say \"\"hi\"\"\"\r\n1,\"two\nlines\",3\n", ','))
        .containsExactly(List.of("a", "b, c", "say \"hi\""), List.of("1", "two\nlines", "3"));
    assertThat(PlainText.records("x\ty\n1\t2", '\t')).containsExactly(List.of("x", "y"), List.of("1", "2"));
  }

  @Test
  void aLongCsvIsChunkedInWholeRowsEachUnderTheHeader() throws Exception {
    StringBuilder csv = new StringBuilder("berth,vessel,owner,length_m\n");
    for (int i = 1; i <= 300; i++) {
      csv.append("B").append(i).append(",\"Vessel ").append(i).append(", of the north\",Owner ").append(i)
          .append(',').append(5 + i % 20).append('\n');
    }
    Path file = Files.writeString(dir.resolve("berths.csv"), csv);
    ParsedDocument parsed = Fixtures.PARSER.parse(new Source("berths.csv", file, Files.size(file)));
    TableRows table = parsed.sections().get(0).table();
    assertThat(table.header()).isEqualTo("berth | vessel | owner | length_m");
    assertThat(table.rows()).hasSize(300).contains("B7 | Vessel 7, of the north | Owner 7 | 12");
    List<Chunk> chunks = Chunkers.byFormat(new ChunkingConfig(400, 50), JTokkitTokenCounter.cl100k()).chunk(parsed);
    assertThat(chunks).hasSizeGreaterThan(5).allSatisfy(c -> {
      assertThat(c.text()).startsWith(table.header() + "\n");
      assertThat(c.tokenCount()).isLessThanOrEqualTo(400);
      assertThat(c.provenance().lineStart()).isEqualTo(1);
    });
    assertThat(chunks.stream().mapToLong(c -> c.text().lines().count() - 1).sum()).as("each row once").isEqualTo(300);
  }

  /** A row longer than a chunk is cut into runs of words under the header; a header wider than half a chunk is prose. */
  @Test
  void aRowTooLongForAChunkIsCutUnderItsHeaderAndAHugeHeaderIsProse() throws Exception {
    ChunkingConfig config = new ChunkingConfig(400, 50);
    Path longRow = Files.writeString(dir.resolve("notes.csv"), "id,note\n1,short\n2,\"" + "tide ".repeat(3_000)
        + "\"\n3,also short\n");
    ParsedDocument parsed = Fixtures.PARSER.parse(new Source("notes.csv", longRow, Files.size(longRow)));
    List<Chunk> chunks = Chunkers.byFormat(config, JTokkitTokenCounter.cl100k()).chunk(parsed);
    assertThat(chunks).hasSizeGreaterThan(5).allSatisfy(c -> {
      assertThat(c.text()).startsWith("id | note\n");
      assertThat(c.tokenCount()).isLessThanOrEqualTo(400);
    });
    assertThat(chunks.get(0).text()).isEqualTo("id | note\n1 | short");
    assertThat(chunks.get(chunks.size() - 1).text()).isEqualTo("id | note\n3 | also short");

    Path wide = Files.writeString(dir.resolve("wide.csv"), "c,".repeat(500) + "\n" + "1,".repeat(500) + "\n");
    List<Chunk> prose = Chunkers.byFormat(config, JTokkitTokenCounter.cl100k())
        .chunk(Fixtures.PARSER.parse(new Source("wide.csv", wide, Files.size(wide))));
    assertThat(prose).allSatisfy(c -> assertThat(c.tokenCount()).isLessThanOrEqualTo(400));
  }
}
