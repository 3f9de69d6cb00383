package rag.ingest.parse;

import java.util.Locale;
import java.util.Set;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;

/** How a file is read, decided from the media type Tika detected and the file name. */
public enum Format {
  /** Text per page from Tika's PDF parser (OCR for image-only pages when Tesseract is installed). */
  PDF,
  /** WebVTT or SubRip captions, read cue by cue. */
  TRANSCRIPT,
  /** Source code, read as it is so that line numbers stay exact. */
  CODE,
  /** Office files, HTML, e-mail, Markdown, plain text, CSV, JSON, XML: Tika's text. */
  DOCUMENT,
  /** An image, OCR'd by Tesseract through Tika (only when Tesseract is installed). */
  IMAGE;

  static final MediaType VTT = MediaType.parse("text/vtt");
  static final MediaType SUBRIP = MediaType.parse("application/x-subrip");

  /** Text types read as documents even though Tika names them {@code text/x-*}. */
  private static final Set<String> PROSE_TYPES = Set.of("text/x-web-markdown", "text/x-markdown",
      "text/x-log", "text/x-rst", "text/x-vcard", "text/x-vcalendar", "text/x-diff", "text/x-web-textile");

  private static final String[] OFFICE_PREFIXES = {"application/vnd.openxmlformats-officedocument.",
      "application/vnd.ms-", "application/msword", "application/vnd.oasis.opendocument.", "application/rtf",
      "message/rfc822", "application/epub+zip", "application/xhtml+xml", "application/x-tika-ooxml",
      "application/x-tika-msoffice", "application/vnd.apple."};

  /** The format for a detected type, or null when the type is not supported. */
  static Format of(MediaType detected, String fileName, MediaTypeRegistry registry, boolean ocrAvailable) {
    MediaType type = detected.getBaseType();
    String name = type.toString();
    String extension = extension(fileName);
    boolean text = registry.isInstanceOf(type, MediaType.TEXT_PLAIN);
    if (name.equals("application/pdf")) {
      return PDF;
    }
    if (type.equals(VTT) || type.equals(SUBRIP) || (text && (extension.equals("vtt") || extension.equals("srt")))) {
      return TRANSCRIPT;
    }
    if (text && CodeLanguage.of(type, fileName) != null) {
      return CODE;
    }
    if (text || isOffice(name)) {
      return DOCUMENT;
    }
    if (type.getType().equals("image") && ocrAvailable) {
      return IMAGE;
    }
    return null;
  }

  /** The format the parser recorded under {@link MetadataKeys#FORMAT}, else a guess from the media type. */
  public static Format of(ParsedDocument document) {
    String recorded = document.metadata().get(MetadataKeys.FORMAT);
    if (recorded != null) {
      try {
        return valueOf(recorded);
      } catch (IllegalArgumentException e) {
        // not one of ours: guess from the type
      }
    }
    MediaType type = MediaType.parse(document.mediaType());
    if (type == null) {
      return DOCUMENT;
    }
    MediaType base = type.getBaseType();
    if (base.toString().equals("application/pdf")) {
      return PDF;
    }
    if (base.equals(VTT) || base.equals(SUBRIP)) {
      return TRANSCRIPT;
    }
    return isCodeType(base) ? CODE : DOCUMENT;
  }

  static boolean isCodeType(MediaType type) {
    String name = type.getBaseType().toString();
    return name.startsWith("text/x-") && !PROSE_TYPES.contains(name) || name.equals("text/javascript")
        || name.equals("application/javascript") || name.equals("application/x-sh")
        || name.equals("application/typescript");
  }

  static String extension(String fileName) {
    if (fileName == null) {
      return "";
    }
    int dot = fileName.lastIndexOf('.');
    return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static boolean isOffice(String name) {
    for (String prefix : OFFICE_PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
