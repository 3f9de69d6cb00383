package rag.ingest.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses XML that declares external entities ({@code <!ENTITY x SYSTEM "file:///etc/passwd">}).
 * Tika's XML parsing never resolves them (it reads them as empty), so this is not what keeps the
 * file system safe; it makes the upload fail loudly with {@link FailureKind#HOSTILE} instead of
 * indexing a document with silent holes. Entity-expansion bombs are stopped by the JDK's limit
 * inside Tika and mapped in {@link Failures}.
 */
final class XmlGuard {
  private static final Pattern EXTERNAL_ENTITY =
      Pattern.compile("<!ENTITY\\s+(?:%\\s*)?[^\\s>]+\\s+(?:SYSTEM|PUBLIC)\\s+(\"[^\"]*\"|'[^']*')");

  private XmlGuard() {}

  static void check(Path file) throws IOException, ParseFailure {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(Utf8FirstEncodingDetector.SAMPLE_BYTES);
    }
    boolean utf16 = head.length >= 2 && ((head[0] == (byte) 0xFE && head[1] == (byte) 0xFF)
        || (head[0] == (byte) 0xFF && head[1] == (byte) 0xFE));
    String text = new String(head, utf16 ? StandardCharsets.UTF_16 : StandardCharsets.ISO_8859_1);
    Matcher entity = EXTERNAL_ENTITY.matcher(text);
    if (entity.find()) {
      throw new ParseFailure(FailureKind.HOSTILE, "refused: the XML file declares an external entity ("
          + entity.group(1) + "), which could read files on the server; remove the DOCTYPE entity declarations");
    }
  }
}
