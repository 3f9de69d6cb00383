package rag.ingest.parse;

import java.util.List;
import java.util.Objects;

/**
 * A table of one section: its header row and its data rows, each row's cells joined by {@link #CELL_SEPARATOR}, and
 * the page's other lines ({@code around}: a title, notes; empty when none). The chunker keeps rows whole and repeats
 * the header at the top of every chunk.
 */
public record TableRows(String header, List<String> rows, String around) {
  public TableRows(String header, List<String> rows) {
    this(header, rows, "");
  }

  public static final String CELL_SEPARATOR = " | ";

  public TableRows {
    Objects.requireNonNull(header, "header");
    rows = List.copyOf(rows);
    around = around == null ? "" : around;
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("a table needs at least one row");
    }
  }

  /** The header's number of cells. */
  public int columns() {
    return header.split(java.util.regex.Pattern.quote(CELL_SEPARATOR), -1).length;
  }

  /** The header and the rows, one per line. */
  public String text() {
    return header + "\n" + String.join("\n", rows);
  }
}
