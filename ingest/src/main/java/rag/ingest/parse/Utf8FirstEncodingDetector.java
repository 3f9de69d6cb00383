package rag.ingest.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.tika.detect.EncodingDetector;
import org.apache.tika.metadata.Metadata;

/**
 * Says UTF-8 when the first bytes of a text are valid UTF-8 and asks Tika's detectors otherwise.
 * Tika's statistical detectors label short or mostly-ASCII UTF-8 files ISO-8859-1 or
 * windows-1252, which garbles every accented letter; valid UTF-8 is very unlikely to be anything
 * else. Handed to Tika's text parsers through the {@code ParseContext} and used for files read
 * directly (code, transcripts).
 */
final class Utf8FirstEncodingDetector implements EncodingDetector {
  static final int SAMPLE_BYTES = 64 * 1024;
  private static final long serialVersionUID = 1L;

  private final EncodingDetector fallback;

  Utf8FirstEncodingDetector(EncodingDetector fallback) {
    this.fallback = fallback;
  }

  @Override
  public Charset detect(InputStream input, Metadata metadata) throws IOException {
    if (input == null) {
      return null;
    }
    input.mark(SAMPLE_BYTES);
    byte[] sample;
    try {
      sample = input.readNBytes(SAMPLE_BYTES);
    } finally {
      input.reset();
    }
    if (isUtf8(sample, sample.length < SAMPLE_BYTES)) {
      return StandardCharsets.UTF_8;
    }
    return fallback.detect(input, metadata);
  }

  /**
   * Whether the bytes are valid UTF-8. When {@code complete} is false the sample was cut, so a
   * multi-byte sequence cut at the end (up to three bytes) is allowed.
   */
  static boolean isUtf8(byte[] bytes, boolean complete) {
    int end = bytes.length;
    if (!complete) {
      int back = 0;
      while (back < 3 && end - back - 1 >= 0 && (bytes[end - back - 1] & 0xC0) == 0x80) {
        back++;
      }
      if (end - back - 1 >= 0 && (bytes[end - back - 1] & 0xC0) == 0xC0) {
        end = end - back - 1;
      }
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      decoder.decode(ByteBuffer.wrap(bytes, 0, end));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
