package rag.app.api;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The file name of an uploaded part, read from its {@code Content-Disposition} header: {@code filename*} (RFC 8187,
 * {@code UTF-8''caf%C3%A9.pdf}) first, then {@code filename}, whose quoted-string may hold backslash-escaped quotes
 * (as curl sends {@code a"b.pdf}) or, from careless clients, bare ones. The multipart parser's own reading stops at the
 * first quote ({@code a\"b.pdf} became {@code a\}), losing the rest of the name and its extension.
 */
final class UploadNames {
  private UploadNames() {}

  static String fileName(FileUpload upload) {
    List<String> dispositions = upload.getHeaders() == null ? null : upload.getHeaders().get("Content-Disposition");
    String parsed = dispositions == null || dispositions.isEmpty() ? null : fromContentDisposition(dispositions.get(0));
    return parsed != null ? parsed : upload.fileName();
  }

  /** The file name a {@code Content-Disposition} header value gives, or null when it names none. */
  static String fromContentDisposition(String header) {
    String extended = parameter(header, "filename*");
    if (extended != null) {
      String decoded = decodeExtended(extended);
      if (decoded != null) {
        return decoded;
      }
    }
    return parameter(header, "filename");
  }

  /** A parameter's value: a quoted-string (escapes resolved; a quote ends it only before ';' or the end) or a token. */
  private static String parameter(String header, String name) {
    String lower = header.toLowerCase(Locale.ROOT);
    int at = 0;
    while ((at = lower.indexOf(name, at)) >= 0) {
      boolean startsParameter = at == 0 || lower.charAt(at - 1) == ';' || Character.isWhitespace(lower.charAt(at - 1));
      int i = at + name.length();
      while (i < header.length() && header.charAt(i) == ' ') {
        i++;
      }
      if (startsParameter && i < header.length() && header.charAt(i) == '=') {
        return value(header, i + 1);
      }
      at += name.length();
    }
    return null;
  }

  private static String value(String header, int from) {
    int i = from;
    while (i < header.length() && header.charAt(i) == ' ') {
      i++;
    }
    if (i >= header.length() || header.charAt(i) != '"') {
      int end = header.indexOf(';', i);
      return header.substring(i, end < 0 ? header.length() : end).strip();
    }
    StringBuilder out = new StringBuilder();
    for (i = i + 1; i < header.length(); i++) {
      char c = header.charAt(i);
      if (c == '\\' && i + 1 < header.length() && (header.charAt(i + 1) == '"' || header.charAt(i + 1) == '\\')) {
        out.append(header.charAt(++i));
      } else if (c == '"' && endsValue(header, i + 1)) {
        return out.toString();
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean endsValue(String header, int from) {
    String rest = header.substring(from).stripLeading();
    return rest.isEmpty() || rest.charAt(0) == ';';
  }

  /** {@code charset'language'percent-encoded}; null when malformed or of an unknown charset. */
  private static String decodeExtended(String value) {
    int first = value.indexOf('\'');
    int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
    if (second < 0) {
      return null;
    }
    try {
      Charset charset = Charset.forName(value.substring(0, first).strip());
      return URLDecoder.decode(value.substring(second + 1).replace("+", "%2B"), charset);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
