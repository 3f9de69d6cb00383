package rag.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.Detector;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Plain text recognised without Tika's magic agrees with Tika on real text, and leaves marked text to Tika. */
class PlainTextSnifferTest {
  private static final Detector TIKA = TikaConfig.getDefaultConfig().getDetector();

  @Test
  void proseTheSnifferTakesIsPlainTextToTikaToo() throws Exception {
    List<byte[]> texts = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    StringBuilder all = new StringBuilder();
    for (String line : Files.readAllLines(Fixtures.path("scifact-40.jsonl"), StandardCharsets.UTF_8)) {
      JsonNode doc = json.readTree(line);
      String text = doc.path("title").asText() + ".\n" + doc.path("text").asText() + "\n\n";
      texts.add(text.getBytes(StandardCharsets.UTF_8));
      all.append(text);
    }
    byte[] whole = all.toString().getBytes(StandardCharsets.UTF_8);
    for (int at = 1; at + 9000 < whole.length; at += 997) { // windows that start and end anywhere, a character cut
      texts.add(Arrays.copyOfRange(whole, at, at + 9000));
    }
    int taken = 0;
    for (byte[] text : texts) {
      if (PlainTextSniffer.isPlainText("note.txt", text, true)) {
        taken++;
        assertThat(tika("note.txt", text)).as(new String(text, 0, 80, StandardCharsets.UTF_8))
            .isEqualTo(MediaType.TEXT_PLAIN);
      }
    }
    assertThat(taken).as("texts taken without Tika's magic, of %d", texts.size()).isGreaterThan(texts.size() / 2);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "<html><body><p>Hello</p></body></html>",
      "Notes\nsee <b>this</b>",
      "<?xml version=\"1.0\"?><a/>",
      "From alice@example.org Mon Jan  1 00:00:00 2024\nSubject: hi\n\nbody",
      "Subject: minutes\nFrom: alice@example.org\n\nbody",
      "Received: from mail.example.org\n",
      "BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n",
      "WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n",
      "1\n00:00:01,000 --> 00:00:02,000\nHello\n",
      "diff --git a/x b/x\n",
      "#!/bin/sh\necho hi\n",
      "%PDF-1.4\n",
      "{\\rtf1\\ansi Hello}",
      "{\"a\": 1}",
      "rem batch file\n",
      "   \n\t",
      "tab\tand a NUL \0 byte"})
  void markedOrNonTextIsLeftToTika(String text) {
    assertThat(PlainTextSniffer.isPlainText("note.txt", text.getBytes(StandardCharsets.UTF_8), true)).isFalse();
  }

  @Test
  void onlyFilesNamedAsPlainTextAndOnlyUtf8() {
    byte[] prose = "Aspirin lowers the risk of stroke in adults.\n".getBytes(StandardCharsets.UTF_8);
    assertThat(PlainTextSniffer.isPlainText("note.txt", prose, true)).isTrue();
    assertThat(PlainTextSniffer.isPlainText("NOTE.TEXT", prose, true)).isTrue();
    assertThat(PlainTextSniffer.isPlainText("note.md", prose, true)).isFalse();
    assertThat(PlainTextSniffer.isPlainText("note", prose, true)).isFalse();
    byte[] latin1 = "Caf\u00e9 cr\u00e8me\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(PlainTextSniffer.isPlainText("note.txt", latin1, true)).isFalse();
    byte[] cut = Arrays.copyOf("Der Bär\n".getBytes(StandardCharsets.UTF_8), 6); // "Der B" and half of "ä"
    assertThat(PlainTextSniffer.isPlainText("note.txt", cut, false)).isTrue();
    assertThat(PlainTextSniffer.isPlainText("note.txt", cut, true)).isFalse();
  }

  /** Where Tika's patterns match text by chance, the file is read as the text it is instead of failing. */
  @Test
  void textThatATikaPatternMatchesByChanceIsReadAsText(@TempDir Path dir) throws Exception {
    StringBuilder text = new StringBuilder("Sample log of the radio club.\n");
    while (text.length() < 1080) {
      text.append('x');
    }
    text.append("M.K. signed off.\n");
    byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
    assertThat(tika("log.txt", bytes).toString()).isEqualTo("audio/x-mod");
    Path file = dir.resolve("log.txt");
    Files.write(file, bytes);
    ParsedDocument parsed = new TikaParser().parse(new Source("log.txt", file, bytes.length));
    assertThat(parsed.mediaType()).isEqualTo("text/plain");
    assertThat(parsed.sections().get(0).text()).contains("M.K. signed off.");
  }

  /** Marked text still reaches its own reader: an e-mail or a web page named .txt is read as one, as before. */
  @ParameterizedTest
  @ValueSource(strings = {"message.eml:message/rfc822", "guide.html:text/html"})
  void markedTextNamedAsTextStillReachesItsReader(String fixtureAndType, @TempDir Path dir) throws Exception {
    String[] parts = fixtureAndType.split(":");
    Path file = dir.resolve("saved.txt");
    Files.copy(Fixtures.path(parts[0]), file);
    ParsedDocument parsed = new TikaParser().parse(new Source("saved.txt", file, Files.size(file)));
    assertThat(parsed.mediaType()).startsWith(parts[1]);
  }

  private static MediaType tika(String name, byte[] bytes) throws IOException {
    Metadata metadata = new Metadata();
    metadata.set(MetadataKeys.RESOURCE_NAME, name);
    try (TikaInputStream in = TikaInputStream.get(new ByteArrayInputStream(bytes))) {
      return TIKA.detect(in, metadata);
    }
  }
}
