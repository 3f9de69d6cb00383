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
 * {@code BodyContentHandler} would give. Stops with Tika's {@link WriteLimitReachedException} once
 * {@code maxChars} characters are collected, keeping what it has. One instance per parse.
 */
final class SectionCollector extends DefaultHandler {
  enum Split { PAGES, SLIDES, HEADINGS }

  /** A part of the body: its text, its 1-based page or slide number (or 0), and its heading (or null). */
  record Part(StringBuilder text, int number, String heading) {}

  private final Split split;
  private final long maxChars;
  private final List<Part> parts = new ArrayList<>();
  private StringBuilder heading;
  private int bodyDepth;
  private int numbered;
  private long chars;
  private boolean truncated;

  SectionCollector(Split split, long maxChars) {
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
    if (parts.isEmpty()) {
      parts.add(new Part(new StringBuilder(), 0, null));
    }
    long room = maxChars - chars;
    int take = (int) Math.min(length, room);
    parts.get(parts.size() - 1).text().append(ch, start, take);
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
