package rag.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Multi-column pages come out one column after the other. Tika keeps the order of the PDF's
 * content stream ({@code sortByPosition} off); sorting by position would interleave the lines of
 * columns that share baselines.
 */
class ReadingOrderTest {
  @Test
  void twoColumnFixtureReadsLeftColumnThenRightColumn() throws ParseFailure {
    String page = Fixtures.parse("two-columns.pdf").sections().get(0).text();
    assertThat(page).containsSubsequence("Left column starts here.\nAlpha is the first\nletter of the left.\n"
        + "The left column ends.", "Right column starts here.\nOmega is the last\nletter of the right.");
  }

  /**
   * A real 3-column page of the Federal Register: each column's sentences run on across its lines. Sorting by
   * position would join each line to the lines of the other columns on the same baseline.
   */
  @Test
  void threeColumnFederalRegisterPageKeepsEachColumnsSentencesTogether() throws ParseFailure {
    ParsedDocument document = Fixtures.parse("federal-register-3col-page.pdf");
    assertThat(document.pageCount()).isEqualTo(1);
    String page = document.sections().get(0).text().replaceAll("\\s+", " ");
    assertThat(page).containsSubsequence(
        "Investigation of the accident has been completed by the Indonesian authorities (Komite Nasional"
            + " Keselamatan Transportasi (KNKT)) with assistance from the National Transportation Safety Board (NTSB)",
        "may affect the flightcrew’s ability to accomplish continued safe flight and landing.",
        "To address the unsafe condition, the FAA proposes to require four design changes");
  }
}
