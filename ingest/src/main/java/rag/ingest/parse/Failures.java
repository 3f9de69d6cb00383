package rag.ingest.parse;

import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.mime.MediaType;

/** Turns what Tika throws into a {@link ParseFailure} whose detail a person can act on. */
final class Failures {
  /** {@code org.apache.Foo$Bar: }, {@code java.io.IOException}, {@code @1f2e3d}: not for end users. */
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Z][\\w$]*(?:@[0-9a-f]+)?:?");
  private static final Pattern IDENTITY_HASH = Pattern.compile("@[0-9a-f]{4,}");

  private Failures() {}

  static ParseFailure map(Throwable error, MediaType type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ParseFailure failure) {
        return failure;
      }
      if (t instanceof EncryptedDocumentException) {
        return new ParseFailure(FailureKind.ENCRYPTED, "the " + describe(type)
            + " is protected by a password; remove the password and upload it again", error);
      }
      if (t instanceof ZeroByteFileException) {
        return empty();
      }
      if (t instanceof OutOfMemoryError) {
        return tooLarge(error);
      }
      String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (message.contains("entity expansion") || message.contains("jaxp00010001")
          || message.contains("entityexpansionlimit") || message.contains("zip bomb")) {
        return new ParseFailure(FailureKind.HOSTILE, "refused: the " + describe(type)
            + " expands to far more data than it holds (an entity-expansion or zip-bomb attack)", error);
      }
      if (t instanceof StackOverflowError) {
        return new ParseFailure(FailureKind.HOSTILE, "refused: the " + describe(type) + " is nested too deeply",
            error);
      }
    }
    return new ParseFailure(FailureKind.CORRUPT, "the " + describe(type)
        + " is damaged or truncated and cannot be read" + reason(error), error);
  }

  static ParseFailure empty() {
    return new ParseFailure(FailureKind.EMPTY, "the file is empty (0 bytes)");
  }

  static ParseFailure tooLarge(Throwable error) {
    return new ParseFailure(FailureKind.TOO_LARGE,
        "the file needs more memory to parse than the server has; split it into smaller files", error);
  }

  /** ": " and the innermost message, without class names, or "" when there is none worth showing. */
  static String reason(Throwable error) {
    String best = null;
    for (Throwable t = error; t != null; t = t.getCause()) {
      String cleaned = clean(t.getMessage());
      if (!cleaned.isEmpty() && !cleaned.toLowerCase(Locale.ROOT).startsWith("unexpected runtimeexception")) {
        best = cleaned;
      }
    }
    return best == null ? "" : " (" + best + ")";
  }

  static String clean(String message) {
    if (message == null) {
      return "";
    }
    String cleaned = CLASS_NAME.matcher(message).replaceAll("");
    cleaned = IDENTITY_HASH.matcher(cleaned).replaceAll("");
    cleaned = cleaned.replaceAll("\\s+", " ").strip();
    if (cleaned.endsWith(":")) {
      cleaned = cleaned.substring(0, cleaned.length() - 1);
    }
    return cleaned.length() > 300 ? cleaned.substring(0, 300) + "..." : cleaned;
  }

  /** A short name for a media type: "PDF", "DOCX file", "image/png file". */
  static String describe(MediaType type) {
    if (type == null) {
      return "file";
    }
    String name = type.getBaseType().toString();
    if (name.equals("application/pdf")) {
      return "PDF";
    }
    String[][] known = {{"wordprocessingml", "DOCX file"}, {"presentationml", "PPTX file"},
        {"spreadsheetml", "XLSX file"}, {"x-tika-ooxml", "Office file"}, {"opendocument.text", "ODT file"},
        {"opendocument.spreadsheet", "ODS file"}, {"opendocument.presentation", "ODP file"},
        {"msword", "DOC file"}, {"ms-excel", "XLS file"}, {"ms-powerpoint", "PPT file"},
        {"x-tika-msoffice", "Office file"}, {"message/rfc822", "e-mail"}, {"xml", "XML file"},
        {"html", "HTML file"}};
    for (String[] entry : known) {
      if (name.contains(entry[0])) {
        return entry[1];
      }
    }
    return name + " file";
  }
}
