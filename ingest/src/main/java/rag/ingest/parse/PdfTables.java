package rag.ingest.parse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * Finds the PDF pages laid out as a table, from PDFBox's text positions: Tika reads such pages column by column, so a
 * row's cells end up far apart (column soup). Here each page is read in visual order (sorted by position); a line's
 * words are split into cells where the gap between two words is wider than {@value #GAP_EMS} of the font size; a page
 * is a table when at least {@value #MIN_ROWS} of its lines have the same number of cells (three or more), they are
 * at least half its lines, and their cells hold {@value #MAX_WORDS_PER_CELL} words or fewer on average (multi-column
 * prose has full lines of a paragraph in each "cell"). Its header is the first of those lines; its rows are the later ones (a line with fewer
 * cells, an empty cell, is kept as a row too when it has at least two). Other pages are left to Tika's text.
 */
final class PdfTables {
  static final double GAP_EMS = 0.9;
  static final double SPACE_EMS = 0.15;
  static final int MIN_ROWS = 5;
  static final double MAX_WORDS_PER_CELL = 4.0;
  static final int MAX_PAGES = 2_000;

  private PdfTables() {}

  /** The table of each table page, by 1-based page number; empty when none (or the file cannot be read). */
  static Map<Integer, TableRows> find(Path file) throws IOException {
    Map<Integer, TableRows> tables = new HashMap<>();
    try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
      if (pdf.isEncrypted()) {
        return tables;
      }
      int pages = Math.min(pdf.getNumberOfPages(), MAX_PAGES);
      TableRows previous = null;
      for (int page = 1; page <= pages; page++) {
        if (Thread.currentThread().isInterrupted()) {
          throw new IOException("interrupted while looking for tables");
        }
        TableRows table = table(lines(pdf, page), previous);
        if (table != null) {
          tables.put(page, table);
        }
        previous = table;
      }
    }
    return tables;
  }

  /** A page's lines, each as its cells. */
  private static List<List<String>> lines(PDDocument pdf, int page) throws IOException {
    CellStripper stripper = new CellStripper();
    stripper.setSortByPosition(true);
    stripper.setStartPage(page);
    stripper.setEndPage(page);
    stripper.getText(pdf);
    stripper.endLine();
    return stripper.lines;
  }

  /**
   * The page's table, or null. Its header is the nearest line above the first full row (within three lines) whose
   * cells are mostly words, not numbers, with at least half the columns; without one, the header of the table on the
   * page before when it has as many columns (a table continued); without that, the first full row.
   */
  static TableRows table(List<List<String>> lines, TableRows previous) {
    Map<Integer, Integer> widths = new HashMap<>();
    int nonEmpty = 0;
    for (List<String> line : lines) {
      if (!line.isEmpty()) {
        nonEmpty++;
        widths.merge(line.size(), 1, Integer::sum);
      }
    }
    int columns = 0;
    int count = 0;
    for (Map.Entry<Integer, Integer> w : widths.entrySet()) {
      if (w.getKey() >= 3 && (w.getValue() > count || w.getValue() == count && w.getKey() > columns)) {
        columns = w.getKey();
        count = w.getValue();
      }
    }
    if (count < MIN_ROWS || count * 2 < nonEmpty || !shortCells(lines, columns)) {
      return null;
    }
    int first = 0;
    while (lines.get(first).size() != columns) {
      first++;
    }
    String header = null;
    for (int i = first - 1; i >= Math.max(0, first - 3) && header == null; i--) {
      List<String> line = lines.get(i);
      if (line.size() * 2 >= columns && wordy(line)) {
        header = String.join(TableRows.CELL_SEPARATOR, line);
      }
    }
    int from = first;
    if (header == null && previous != null && previous.columns() == columns) {
      header = previous.header();
    } else if (header == null) {
      header = String.join(TableRows.CELL_SEPARATOR, lines.get(first));
      from = first + 1;
    }
    List<String> rows = new ArrayList<>();
    StringBuilder around = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      List<String> line = lines.get(i);
      String joined = String.join(TableRows.CELL_SEPARATOR, line);
      if (i >= from && line.size() >= 2 && line.size() <= columns) {
        rows.add(joined);
      } else if (!joined.equals(header)) {
        around.append(String.join(" ", line)).append('\n'); // a title, a note, a page number: kept as text
      }
    }
    return rows.isEmpty() ? null : new TableRows(header, rows, around.toString().strip());
  }

  /**
   * Cells of a few words, as tables have: multi-column prose has as many "cells" per line as columns, but each holds
   * a line of a paragraph (six words and more).
   */
  private static boolean shortCells(List<List<String>> lines, int columns) {
    long cells = 0;
    long words = 0;
    for (List<String> line : lines) {
      if (line.size() == columns) {
        for (String cell : line) {
          cells++;
          words += cell.split("\\s+").length;
        }
      }
    }
    return words <= MAX_WORDS_PER_CELL * cells;
  }

  /** Mostly words: at least 60% of the cells hold no digit. */
  private static boolean wordy(List<String> cells) {
    long words = cells.stream().filter(c -> c.chars().noneMatch(Character::isDigit)).count();
    return words * 5 >= cells.size() * 3L;
  }

  /** Collects each line's words and starts a new cell where the gap before a word is wide. */
  private static final class CellStripper extends PDFTextStripper {
    final List<List<String>> lines = new ArrayList<>();
    private final List<String> cells = new ArrayList<>();
    private StringBuilder cell;
    private float lastEnd = Float.NaN;

    CellStripper() throws IOException {
      super();
    }

    /** Glyph by glyph: a wide gap starts a cell, a narrower one is a space, a space character only a space. */
    @Override
    protected void writeString(String text, List<TextPosition> positions) {
      for (TextPosition glyph : positions) {
        String unicode = glyph.getUnicode();
        if (unicode == null || unicode.isBlank()) {
          continue;
        }
        float gap = glyph.getXDirAdj() - lastEnd;
        float em = Math.max(1f, glyph.getFontSizeInPt());
        if (cell == null || Float.isNaN(lastEnd) || gap > GAP_EMS * em) {
          if (cell != null) {
            cells.add(cell.toString().strip());
          }
          cell = new StringBuilder();
        } else if (gap > SPACE_EMS * em) {
          cell.append(' ');
        }
        cell.append(unicode);
        lastEnd = glyph.getXDirAdj() + glyph.getWidthDirAdj();
      }
    }

    @Override
    protected void writeLineSeparator() {
      endLine();
    }

    void endLine() {
      if (cell != null) {
        cells.add(cell.toString().strip());
      }
      if (!cells.isEmpty()) {
        lines.add(List.copyOf(cells));
      }
      cells.clear();
      cell = null;
      lastEnd = Float.NaN;
    }

    @Override
    protected void writeWordSeparator() {
      // cells are decided by positions
    }

    @Override
    protected void writeCharacters(TextPosition text) {
      // writeString has the words
    }
  }
}
