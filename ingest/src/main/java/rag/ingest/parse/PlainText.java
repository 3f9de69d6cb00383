package rag.ingest.parse;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.tika.detect.EncodingDetector;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import rag.storage.model.Provenance;

/**
 * Reads transcripts, source code, delimited tables and plain text as they are (Tika has no parser for captions, and
 * its source code parser reformats the text, which would shift line numbers): the charset from
 * {@link Utf8FirstEncodingDetector}, then cues or one section holding every line.
 */
final class PlainText {
  private final EncodingDetector encodings;
  private final long maxChars;

  PlainText(EncodingDetector encodings, long maxChars) {
    this.encodings = encodings;
    this.maxChars = maxChars;
  }

  ParsedDocument transcript(Path file, MediaType type) throws IOException, ParseFailure {
    List<String> warnings = new ArrayList<>();
    Map<String, String> metadata = metadata(type, Format.TRANSCRIPT);
    String text = read(file, metadata, warnings, false);
    List<Section> cues = TranscriptCues.parse(text);
    if (cues.isEmpty()) {
      throw new ParseFailure(FailureKind.NO_TEXT, "no captions found: the file has no cue with a timing line "
          + "such as 00:00:01.000 --> 00:00:04.000");
    }
    cues.stream().map(c -> c.provenance().endMs()).filter(Objects::nonNull).mapToLong(Long::longValue).max()
        .ifPresent(end -> metadata.put(MetadataKeys.DURATION_MS, Long.toString(end)));
    return new ParsedDocument(type.getBaseType().toString(), null, null, null, null, cues, metadata, warnings);
  }

  ParsedDocument code(Path file, MediaType type, CodeLanguage language) throws IOException, ParseFailure {
    List<String> warnings = new ArrayList<>();
    Map<String, String> metadata = metadata(type, Format.CODE);
    metadata.put(MetadataKeys.CODE_LANGUAGE, language.name());
    String text = read(file, metadata, warnings, true);
    if (text.isBlank()) {
      throw new ParseFailure(FailureKind.NO_TEXT, "the source file holds only blank lines");
    }
    int lines = lineCount(text);
    metadata.put(MetadataKeys.LINE_COUNT, Integer.toString(lines));
    Section all = new Section(text, Provenance.lines(1, lines, null));
    return new ParsedDocument(type.getBaseType().toString(), null, null, null, null, List.of(all), metadata,
        warnings);
  }

  /**
   * Plain text as Tika's text parser gives it (one section, lines tidied as {@link TikaSections#tidy} does), without
   * Tika: the type is known already, and detecting it again and sniffing the text for CSV cost more than the reading
   * (small files, issue 16).
   */
  ParsedDocument text(Path file, MediaType type) throws IOException, ParseFailure {
    List<String> warnings = new ArrayList<>();
    Map<String, String> metadata = metadata(type, Format.DOCUMENT);
    String text = TikaSections.tidy(replaceInvalid(read(file, metadata, warnings, false)), false);
    if (text.isEmpty()) {
      throw new ParseFailure(FailureKind.NO_TEXT, "no text found in the " + Failures.describe(type));
    }
    return new ParsedDocument(type.getBaseType().toString(), null, null, null, null,
        List.of(new Section(text, Provenance.NONE)), metadata, warnings);
  }

  /**
   * With U+FFFD in place of each character Tika's XHTML output replaces: control characters other than tab and line
   * breaks, the C1 controls (U+007F to U+009F, mostly Windows-1252 punctuation decoded as Latin-1 or UTF-8), lone
   * surrogates and the non-characters U+FFFE and U+FFFF.
   */
  static String replaceInvalid(String text) {
    StringBuilder replaced = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean pairedSurrogate = Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1));
      boolean invalid = c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c >= 0x7F && c <= 0x9F
          || c == 0xFFFE || c == 0xFFFF || Character.isSurrogate(c) && !pairedSurrogate;
      if (invalid && replaced == null) {
        replaced = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (replaced != null) {
        replaced.append(invalid ? '\uFFFD' : c);
        if (pairedSurrogate) {
          replaced.append(text.charAt(i + 1));
        }
      }
      if (pairedSurrogate) {
        i++;
      }
    }
    return replaced == null ? text : replaced.toString();
  }

  /** Lines as an editor numbers them: a final line break does not start another line. */
  static int lineCount(String text) {
    int lines = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')) {
        lines++;
      }
    }
    boolean endsWithBreak = !text.isEmpty() && (text.endsWith("\n") || text.endsWith("\r"));
    return endsWithBreak ? lines - 1 : lines;
  }

  private String read(Path file, Map<String, String> metadata, List<String> warnings, boolean wholeLines)
      throws IOException {
    byte[] bytes;
    Charset charset;
    boolean more;
    try (TikaInputStream in = TikaInputStream.get(file)) {
      charset = encodings.detect(in, new Metadata());
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxChars * 4 + 4)); // 4 bytes a character at most
      more = in.read() != -1;
    }
    charset = charset == null ? StandardCharsets.ISO_8859_1 : charset;
    metadata.put(MetadataKeys.CHARSET, charset.name());
    String text = new String(bytes, charset);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    if (text.length() > maxChars || more) {
      int cut = (int) Math.min(maxChars, text.length());
      int lastBreak = text.lastIndexOf('\n', cut - 1);
      text = text.substring(0, wholeLines && lastBreak > 0 ? lastBreak + 1 : cut);
      metadata.put(MetadataKeys.TRUNCATED, "true");
      warnings.add(TikaSections.truncationWarning(maxChars));
    }
    return text;
  }

  /**
   * A CSV or TSV file as a table: its first record is the header, every other record a row (quoted fields may hold
   * the delimiter, doubled quotes and line breaks); the lines it covers are the section's provenance. A file of one
   * record is plain text.
   */
  ParsedDocument delimited(Path file, MediaType type, char delimiter) throws IOException, ParseFailure {
    List<String> warnings = new ArrayList<>();
    Map<String, String> metadata = metadata(type, Format.DOCUMENT);
    String text = read(file, metadata, warnings, true);
    if (text.isBlank()) {
      throw new ParseFailure(FailureKind.NO_TEXT, "the file holds only blank lines");
    }
    List<String> records = new ArrayList<>();
    for (List<String> record : records(text, delimiter)) {
      if (record.stream().anyMatch(c -> !c.isBlank())) {
        records.add(String.join(TableRows.CELL_SEPARATOR, record.stream().map(c -> c.replaceAll("\\s+", " ").strip())
            .toList()));
      }
    }
    Provenance lines = Provenance.lines(1, lineCount(text), null);
    Section section = records.size() < 2 ? new Section(text, lines)
        : new Section(new TableRows(records.get(0), records.subList(1, records.size())).text(), lines,
            new TableRows(records.get(0), records.subList(1, records.size())));
    return new ParsedDocument(type.getBaseType().toString(), null, null, null, null, List.of(section), metadata,
        warnings);
  }

  /** RFC 4180 records: fields split at the delimiter outside quotes, records at line breaks outside quotes. */
  static List<List<String>> records(String text, char delimiter) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"' && field.toString().isBlank()) {
        quoted = true;
        field.setLength(0);
      } else if (c == delimiter) {
        record.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        record.add(field.toString());
        records.add(record);
        record = new ArrayList<>();
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    if (field.length() > 0 || !record.isEmpty()) {
      record.add(field.toString());
      records.add(record);
    }
    return records;
  }

  static Map<String, String> metadata(MediaType type, Format format) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(MetadataKeys.CONTENT_TYPE, type.getBaseType().toString());
    metadata.put(MetadataKeys.FORMAT, format.name());
    return metadata;
  }
}
