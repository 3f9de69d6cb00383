package rag.ingest.parse;

import java.util.ArrayList;
import java.util.List;
import org.apache.tika.exception.WriteLimitReachedException;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Collects the text of Tika's XHTML body, cut into parts at the boundaries Tika marks: {@code <div
 * class="page">} (PDF pages), {@code <div class="slide-content">} (PPTX slides) or headings
 * {@code <h1>..<h6>} (HTML, DOCX, ODT, XLSX sheet names). The text is what Tika's
 * {@code BodyContentHandler} would give, except tables: a {@code <table>} of two rows or more becomes a part of its
 * own with its rows ({@link TableRows}: the first row is the header, cells joined by " | "; a table nested in a cell
 * is that cell's text), so that the chunker keeps rows whole under their header. Stops with Tika's
 * {@link WriteLimitReachedException} once {@code maxChars} characters are collected, keeping what it has. One
 * instance per parse.
 */
final class SectionCollector extends DefaultHandler {
  enum Split { PAGES, SLIDES, HEADINGS }

  /**
   * A part of the body: its text, its 1-based page or slide number (or 0), its heading (or null), its table (or
   * null), and whether it continues a page or section after a table (so that an empty one is no blank page).
   */
  record Part(StringBuilder text, int number, String heading, TableRows table, boolean continued) {
    Part(StringBuilder text, int number, String heading) {
      this(text, number, heading, null, false);
    }
  }

  private final Split split;
  private final long maxChars;
  private final List<Part> parts = new ArrayList<>();
  private StringBuilder heading;
  private int bodyDepth;
  private int numbered;
  private long chars;
  private boolean truncated;
  private final boolean tables;
  private int tableDepth;
  private List<List<String>> tableRows;
  private List<String> row;
  private StringBuilder cell;

  SectionCollector(Split split, long maxChars) {
    this(split, maxChars, true);
  }

  /** @param tables whether tables become parts of their own; off, their text runs on as Tika gives it */
  SectionCollector(Split split, long maxChars, boolean tables) {
    this.tables = tables;
    this.split = split;
    this.maxChars = maxChars;
  }

  List<Part> parts() {
    return parts;
  }

  /** How many page or slide boundaries were seen. */
  int numbered() {
    return numbered;
  }

  long maxChars() {
    return maxChars;
  }

  boolean truncated() {
    return truncated;
  }

  @Override
  public void startElement(String uri, String localName, String qName, Attributes atts) {
    String name = localName.isEmpty() ? qName : localName;
    if (name.equals("body")) {
      bodyDepth++;
      return;
    }
    if (bodyDepth == 0) {
      return;
    }
    if (tables && name.equals("table")) {
      if (tableDepth++ == 0) {
        tableRows = new ArrayList<>();
      }
      return;
    }
    if (tableDepth == 1 && name.equals("tr")) {
      row = new ArrayList<>();
      return;
    }
    if (tableDepth == 1 && row != null && (name.equals("td") || name.equals("th"))) {
      cell = new StringBuilder();
      return;
    }
    if (tableDepth > 0) {
      return;
    }
    String cssClass = atts.getValue("class");
    if (split == Split.PAGES && name.equals("div") && "page".equals(cssClass)
        || split == Split.SLIDES && name.equals("div") && "slide-content".equals(cssClass)) {
      parts.add(new Part(new StringBuilder(), ++numbered, null));
    } else if (split == Split.HEADINGS && isHeading(name)) {
      heading = new StringBuilder();
    }
  }

  @Override
  public void endElement(String uri, String localName, String qName) {
    String name = localName.isEmpty() ? qName : localName;
    if (name.equals("body")) {
      bodyDepth--;
    } else if (tableDepth > 0) {
      endTableElement(name);
    } else if (heading != null && isHeading(name)) {
      String title = heading.toString().replaceAll("\\s+", " ").strip();
      heading = null;
      if (!title.isEmpty()) {
        parts.add(new Part(new StringBuilder(title).append('\n'), 0, title));
        chars += title.length() + 1;
      }
    }
  }

  @Override
  public void characters(char[] ch, int start, int length) throws SAXException {
    if (bodyDepth == 0) {
      return;
    }
    if (heading != null) {
      heading.append(ch, start, length);
      return;
    }
    if (tableDepth > 0) {
      if (cell != null) {
        take(cell, ch, start, length);
      } else if (tableDepth > 1 || row == null) {
        take(current().text(), ch, start, length); // text of a nested table's cell outside any outer cell
      }
      return;
    }
    take(current().text(), ch, start, length);
  }

  /** The part text goes to: the last one, or a new one continuing its page and heading after a table. */
  private Part current() {
    if (parts.isEmpty()) {
      parts.add(new Part(new StringBuilder(), 0, null));
    }
    Part last = parts.get(parts.size() - 1);
    if (last.table() != null) {
      last = new Part(new StringBuilder(), last.number(), last.heading(), null, true);
      parts.add(last);
    }
    return last;
  }

  private void endTableElement(String name) {
    if (tableDepth == 1 && (name.equals("td") || name.equals("th")) && cell != null && row != null) {
      row.add(cell.toString().replaceAll("\\s+", " ").strip());
      cell = null;
    } else if (tableDepth == 1 && name.equals("tr") && row != null) {
      if (row.stream().anyMatch(c -> !c.isEmpty())) {
        tableRows.add(row);
      }
      row = null;
    } else if (name.equals("table") && --tableDepth == 0) {
      endTable();
    } else if (tableDepth > 1 && cell != null && (name.equals("td") || name.equals("th") || name.equals("tr"))) {
      cell.append(' ');
    }
  }

  /** Two rows or more: a part of its own; one row: its cells as text. */
  private void endTable() {
    List<List<String>> rows = tableRows;
    tableRows = null;
    if (rows.isEmpty()) {
      return;
    }
    if (rows.size() == 1) {
      current().text().append(String.join(" ", rows.get(0))).append('\n');
      return;
    }
    List<String> data = rows.subList(1, rows.size()).stream().map(r -> String.join(TableRows.CELL_SEPARATOR, r))
        .toList();
    TableRows table = new TableRows(String.join(TableRows.CELL_SEPARATOR, rows.get(0)), data);
    Part at = parts.isEmpty() ? null : parts.get(parts.size() - 1);
    parts.add(new Part(new StringBuilder(table.text()), at == null ? 0 : at.number(), at == null ? null
        : at.heading(), table, false));
  }

  private void take(StringBuilder into, char[] ch, int start, int length) throws SAXException {
    long room = maxChars - chars;
    int take = (int) Math.min(length, room);
    into.append(ch, start, take);
    chars += take;
    if (take < length) {
      truncated = true;
      throw new WriteLimitReachedException((int) Math.min(maxChars, Integer.MAX_VALUE));
    }
  }

  @Override
  public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
    characters(ch, start, length);
  }

  private static boolean isHeading(String name) {
    return name.length() == 2 && name.charAt(0) == 'h' && name.charAt(1) >= '1' && name.charAt(1) <= '6';
  }
}
