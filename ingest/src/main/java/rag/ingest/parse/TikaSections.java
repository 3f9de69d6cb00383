package rag.ingest.parse;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import rag.ingest.parse.SectionCollector.Part;
import rag.storage.model.Provenance;

/**
 * Turns what {@link SectionCollector} gathered and Tika's metadata into a {@link ParsedDocument}:
 * one section per non-blank page (PDF), slide (presentations, numbered as pages) or heading
 * (everything else), and the warnings and failures that depend on the text found.
 */
final class TikaSections {
  private static final Pattern LEADING_SPACE = Pattern.compile("(?m)^[ \\t\\x0B\\f\\u00A0]+");
  private TikaSections() {}

  static ParsedDocument build(Path file, MediaType type, Format format, SectionCollector collector,
      Metadata tika) throws IOException, ParseFailure {
    List<String> warnings = new ArrayList<>();
    List<Section> sections = new ArrayList<>();
    List<Integer> blankPages = new ArrayList<>();
    boolean html = type.getBaseType().toString().contains("html");
    for (Part part : collector.parts()) {
      if (part.table() != null) {
        sections.add(new Section(part.table().text(), provenance(part), part.table()));
        continue;
      }
      String text = tidy(part.text(), html);
      if (!text.isEmpty()) {
        sections.add(new Section(text, provenance(part)));
      } else if (part.number() > 0 && !part.continued() && collector.parts().stream()
          .noneMatch(p -> p.number() == part.number() && p.table() != null)) {
        blankPages.add(part.number());
      }
    }
    boolean pdf = format == Format.PDF;
    boolean truncatedFile = pdf && !endsWithEofMarker(file);
    if (sections.isEmpty()) {
      throw noText(type, format, truncatedFile);
    }
    if (truncatedFile) {
      warnings.add("the PDF is truncated (it does not end with %%EOF); pages or text may be missing");
    }
    for (int page : blankPages) {
      warnings.add((pdf ? "page " : "slide ") + page + " has no text"
          + (pdf && !Ocr.available() ? " (an image-only or empty page); " + Ocr.INSTALL_HINT : ""));
    }
    Set<String> tikaWarnings = new LinkedHashSet<>();
    for (String warning : tika.getValues(MetadataKeys.TIKA_WARNINGS)) {
      tikaWarnings.add("part of the file could not be read: " + Failures.clean(firstLine(warning)));
    }
    warnings.addAll(tikaWarnings);
    Map<String, String> metadata = PlainText.metadata(type, format);
    for (String key : MetadataKeys.COPIED) {
      String value = tika.get(key);
      if (value != null && !value.isBlank()) {
        metadata.put(key, value.strip());
      }
    }
    String charset = tika.get(Metadata.CONTENT_ENCODING);
    if (charset != null) {
      metadata.put(MetadataKeys.CHARSET, charset);
    }
    Integer ocrPages = tika.getInt(MetadataKeys.OCR_PAGE_COUNT);
    if (ocrPages != null && ocrPages > 0 || format == Format.IMAGE) {
      metadata.put(MetadataKeys.OCR, "true");
    }
    if (collector.truncated()) {
      metadata.put(MetadataKeys.TRUNCATED, "true");
      warnings.add(truncationWarning(collector.maxChars()));
    }
    Integer pages = tika.getInt(MetadataKeys.PAGE_COUNT);
    if (pages == null && collector.numbered() > 0) {
      pages = collector.numbered();
    }
    String language = blankToNull(tika.get(MetadataKeys.LANGUAGE));
    language = language != null ? language : blankToNull(tika.get(MetadataKeys.CONTENT_LANGUAGE));
    return new ParsedDocument(type.getBaseType().toString(), blankToNull(tika.get(MetadataKeys.TITLE)),
        blankToNull(tika.get(MetadataKeys.AUTHOR)), language, pages, sections, metadata, warnings);
  }

  static String truncationWarning(long limit) {
    return "the text was cut after " + limit + " characters (the configured limit); the rest is not indexed";
  }

  private static Provenance provenance(Part part) {
    if (part.number() > 0) {
      return Provenance.pages(part.number(), part.number());
    }
    return part.heading() == null ? Provenance.NONE
        : new Provenance(null, null, null, null, null, null, null, part.heading());
  }

  private static ParseFailure noText(MediaType type, Format format, boolean truncatedFile) {
    if (truncatedFile) {
      return new ParseFailure(FailureKind.CORRUPT,
          "the PDF is truncated (it does not end with %%EOF) and no text could be read from it");
    }
    if (format == Format.PDF) {
      return new ParseFailure(FailureKind.NO_TEXT, Ocr.available()
          ? "the PDF has no text layer and OCR found no text in it"
          : "the PDF has no text layer (image-only); " + Ocr.INSTALL_HINT);
    }
    if (format == Format.IMAGE) {
      return new ParseFailure(FailureKind.NO_TEXT, "OCR found no text in the image");
    }
    return new ParseFailure(FailureKind.NO_TEXT, "no text found in the " + Failures.describe(type));
  }

  /** Whether the last 2 KB hold the %%EOF marker every complete PDF ends with. */
  private static boolean endsWithEofMarker(Path file) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      int tail = (int) Math.min(length, 2048);
      byte[] bytes = new byte[tail];
      raf.seek(length - tail);
      raf.readFully(bytes);
      return new String(bytes, StandardCharsets.ISO_8859_1).contains("%%EOF");
    }
  }

  /**
   * Without whitespace at the ends of lines (and at their starts in HTML, where it is the page
   * source's indentation), with at most one blank line in a row, stripped.
   */
  static String tidy(CharSequence text, boolean html) {
    String tidied = withoutTrailingSpace(text);
    if (html) {
      tidied = LEADING_SPACE.matcher(tidied).replaceAll("");
    }
    return withAtMostOneBlankLine(tidied).strip();
  }

  /**
   * Without the runs of spaces, tabs, form feeds, carriage returns and no-break spaces that end a line or the text (as
   * {@code [ \t\x0B\f\r\u00A0]+(?=\n|$)} would remove them, where {@code $} is also before a line terminator that
   * ends the text), in one pass: the regular expression tried a match at every character and took half the time of
   * reading a small text file.
   */
  private static String withoutTrailingSpace(CharSequence text) {
    int n = text.length();
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    while (i < n) {
      if (!isLineSpace(text.charAt(i))) {
        i++;
        continue;
      }
      int end = i + 1;
      while (end < n && isLineSpace(text.charAt(end))) {
        end++;
      }
      if (end == n || text.charAt(end) == '\n' || (end == n - 1 && isLineTerminator(text.charAt(end)))) {
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(text, copied, i);
        copied = end;
      }
      i = end;
    }
    return out == null ? text.toString() : out.append(text, copied, n).toString();
  }

  private static boolean isLineSpace(char c) {
    return c == ' ' || c == '\t' || c == '\u000B' || c == '\f' || c == '\r' || c == '\u00A0';
  }

  private static boolean isLineTerminator(char c) {
    return c == '\u0085' || c == '\u2028' || c == '\u2029';
  }

  /** Runs of three or more line feeds as two. */
  private static String withAtMostOneBlankLine(String text) {
    int at = text.indexOf("\n\n\n");
    if (at < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    while (at >= 0) {
      int end = at + 3;
      while (end < text.length() && text.charAt(end) == '\n') {
        end++;
      }
      out.append(text, copied, at).append("\n\n");
      copied = end;
      at = text.indexOf("\n\n\n", end);
    }
    return out.append(text, copied, text.length()).toString();
  }


  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
