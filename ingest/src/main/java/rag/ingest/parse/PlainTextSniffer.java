package rag.ingest.parse;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Plain text recognised without Tika's magic. Tika tries more than a thousand byte patterns, some over ranges of 8 KB,
 * on the first 64 KB of every file: about 0.7 ms for a small text file, more than reading, chunking and counting it.
 * For a file named as plain text whose bytes are text its answer is text/plain, or a pattern that text matches by
 * chance (prose with {@code M.K.} at byte 1080 is a MOD audio file to Tika, one whose first line starts with
 * {@code solid } an STL model), which then fails as an unsupported type.
 *
 * <p>Here a file is plain text when its name ends in {@code .txt} or {@code .text}, its first 64 KB are UTF-8 with no
 * control character but tab, line feed, form feed and carriage return, and nothing in them marks a format that a text
 * file can hold and that its own reader reads better: markup ({@code <} before a letter, {@code !}, {@code ?} or
 * {@code /}), or a first line that opens an e-mail, news or HTTP message, an mbox, a vCard or calendar, WebVTT or
 * SubRip captions, a diff, a script, or does not start with a letter or a digit (RTF, PostScript, PDF, JSON, a
 * shebang). Every other file goes through Tika's detection.
 */
final class PlainTextSniffer {
  /** As many bytes as Tika's magic reads. */
  static final int HEAD_BYTES = 64 * 1024;

  /** A header field ({@code Subject:}, {@code BEGIN:VCARD}, {@code Index:}), a caption cue number, script openers. */
  private static final Pattern MARKED_FIRST_LINE = Pattern.compile(
      "[A-Za-z][A-Za-z0-9-]*:.*|\\d+|(?:From |WEBVTT|diff |Only in |Common subdirectories|function |eval |HTTP/"
          + "|(?i:rem )).*", Pattern.DOTALL);

  private PlainTextSniffer() {}

  /** Whether a file of this name may be plain text: only then is {@link #isPlainText} worth its read. */
  static boolean namedAsPlainText(String fileName) {
    String extension = Format.extension(fileName);
    return extension.equals("txt") || extension.equals("text");
  }

  /**
   * Whether the file is plain text by the rule above.
   *
   * @param head the file's first bytes, up to {@link #HEAD_BYTES}
   * @param complete whether {@code head} is the whole file (a character cut at the end of a longer file is allowed)
   */
  static boolean isPlainText(String fileName, byte[] head, boolean complete) {
    if (!namedAsPlainText(fileName) || head.length == 0 || !Utf8FirstEncodingDetector.isUtf8(head, complete)) {
      return false;
    }
    for (int i = 0; i < head.length; i++) {
      int b = head[i] & 0xFF;
      if ((b < 0x20 && b != '\t' && b != '\n' && b != '\f' && b != '\r') || b == 0x7F) {
        return false;
      }
      if (b == '<' && i + 1 < head.length && opensMarkup(head[i + 1] & 0xFF)) {
        return false;
      }
    }
    return startsLikeText(head);
  }

  private static boolean opensMarkup(int next) {
    return (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || next == '!' || next == '?'
        || next == '/';
  }

  /** The first line, after a byte order mark and white space, starts with a letter or digit and is not marked. */
  private static boolean startsLikeText(byte[] head) {
    int start = head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF
        ? 3 : 0;
    while (start < head.length && Character.isWhitespace(head[start])) {
      start++;
    }
    if (start == head.length) {
      return false;
    }
    int first = head[start] & 0xFF;
    boolean letterOrDigit = Character.isLetterOrDigit(first) && first < 0x80 || first >= 0xC2;
    if (!letterOrDigit) {
      return false;
    }
    int end = start;
    while (end < head.length && head[end] != '\n' && head[end] != '\r' && end - start < 256) {
      end++;
    }
    return !MARKED_FIRST_LINE.matcher(new String(head, start, end - start, StandardCharsets.ISO_8859_1)).matches();
  }
}
