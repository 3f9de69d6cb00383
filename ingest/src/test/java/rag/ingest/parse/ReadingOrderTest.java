package rag.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Multi-column pages come out one column after the other. Tika keeps the order of the PDF's
 * content stream ({@code sortByPosition} off); sorting by position would interleave the lines of
 * columns that share baselines.
 */
class ReadingOrderTest {
  private static final Path ARXIV_2COL =
      Path.of("/work/shared/corpora/pdfs/arxiv-1601.03642-creativity-in-ml-2col.pdf");

  @Test
  void twoColumnFixtureReadsLeftColumnThenRightColumn() throws ParseFailure {
    String page = Fixtures.parse("two-columns.pdf").sections().get(0).text();
    assertThat(page).containsSubsequence("Left column starts here.\nAlpha is the first\nletter of the left.\n"
        + "The left column ends.", "Right column starts here.\nOmega is the last\nletter of the right.");
  }

  /** The real two-column paper from the shared corpus, when it is there (its licence keeps it out of fixtures). */
  @Test
  void arxivPaperKeepsEachColumnsSentencesTogether() throws Exception {
    assumeTrue(Files.isReadable(ARXIV_2COL), "shared corpus not on this machine");
    ParsedDocument document = Fixtures.PARSER.parse(new Source("arxiv.pdf", ARXIV_2COL, Files.size(ARXIV_2COL)));
    assertThat(document.pageCount()).isEqualTo(8);
    String page1 = document.sections().get(0).text().replaceAll("\\s+", " ");
    assertThat(page1).containsSubsequence(
        "A formal definition of the field of Machine Learning is given by Tom Mitchel [Mit97]",
        "This means that machine learning programs adjust internal parameters to fit the data they are given.",
        "The field of machine learning is related to statistics.");
  }
}
