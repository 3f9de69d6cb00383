package rag.ingest.intake;

import java.nio.charset.StandardCharsets;

/** Source paths are relative, '/'-separated, without '.', '..' or empty segments. */
public final class SourcePaths {
  /** Most UTF-8 bytes of one path segment, as most file systems allow. */
  static final int MAX_SEGMENT_BYTES = 255;
  /** Longest extension kept when a long name is shortened. */
  private static final int MAX_EXTENSION_CHARS = 16;

  private SourcePaths() {}

  /** {@code prefix/name} normalized; null when nothing usable remains. */
  public static String join(String prefix, String name) {
    String joined = (prefix == null || prefix.isBlank() ? "" : prefix + "/") + (name == null ? "" : name);
    StringBuilder out = new StringBuilder();
    for (String segment : joined.replace('\\', '/').split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..") || segment.indexOf('\0') >= 0) {
        return null;
      }
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(segment.strip());
    }
    return out.length() == 0 || out.length() > 1024 ? null : out.toString();
  }

  /**
   * A file name as a client sent it, made safe to show and store: control characters (line breaks, NUL, escape) and
   * the invisible bidirectional controls that can disguise an extension become '_', and each segment is cut to
   * {@value #MAX_SEGMENT_BYTES} UTF-8 bytes, keeping its extension. Path separators are left to {@link #join}.
   */
  public static String safeName(String name) {
    if (name == null) {
      return null;
    }
    StringBuilder cleaned = new StringBuilder(name.length());
    name.codePoints().forEach(c -> cleaned.appendCodePoint(Character.isISOControl(c) || isBidiControl(c) ? '_' : c));
    StringBuilder out = new StringBuilder(cleaned.length());
    int start = 0;
    for (int i = 0; i <= cleaned.length(); i++) {
      if (i == cleaned.length() || cleaned.charAt(i) == '/' || cleaned.charAt(i) == '\\') {
        out.append(shorten(cleaned.substring(start, i)));
        if (i < cleaned.length()) {
          out.append(cleaned.charAt(i));
        }
        start = i + 1;
      }
    }
    return out.toString();
  }

  private static boolean isBidiControl(int c) {
    return c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
  }

  private static String shorten(String segment) {
    if (utf8Length(segment) <= MAX_SEGMENT_BYTES) {
      return segment;
    }
    int dot = segment.lastIndexOf('.');
    String extension = dot > 0 && segment.length() - dot <= MAX_EXTENSION_CHARS ? segment.substring(dot) : "";
    String stem = segment.substring(0, segment.length() - extension.length());
    int budget = MAX_SEGMENT_BYTES - utf8Length(extension);
    int end = 0;
    int bytes = 0;
    while (end < stem.length()) {
      int c = stem.codePointAt(end);
      int size = utf8Length(new String(Character.toChars(c)));
      if (bytes + size > budget) {
        break;
      }
      bytes += size;
      end += Character.charCount(c);
    }
    return stem.substring(0, end) + extension;
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
