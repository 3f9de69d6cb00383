package rag.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.sax.BodyContentHandler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.storage.model.Provenance;

/** Plain text is read without Tika's parser, and gives the text Tika's parser gives. */
class PlainTextTest {
  @TempDir
  Path dir;

  static List<byte[]> texts() {
    return List.of(
        utf8("Notes on the tides.\nSecond line with trailing spaces   \n\n\n\nAfter blank lines.\n"),
        utf8("Windows-1252 dashes decoded as C1 controls: a \u0097 b \u0096 c, and a bell \u0007 here."),
        utf8("\uFEFFA byte order mark, CRLF lines\r\nand a tab\there.\r\n"),
        utf8("Accents: caf\u00e9, na\u00efve, \u00c5ngstr\u00f6m; an emoji \ud83c\udf0a; CJK \u6f6e\u6c50."),
        "Latin-1 only: caf\u00e9 cr\u00e8me br\u00fbl\u00e9e, \u00e0 la carte, a longer sentence for detection."
            .getBytes(StandardCharsets.ISO_8859_1),
        utf8("a, b, c\n1, 2, 3\nprose with commas, like this, is not a table\n"));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @MethodSource("texts")
  void plainTextIsWhatTikasTextParserGives(byte[] bytes) throws Exception {
    Path file = Files.write(dir.resolve("notes.txt"), bytes);
    ParsedDocument parsed = new TikaParser().parse(new Source("notes.txt", file, bytes.length));

    BodyContentHandler body = new BodyContentHandler(-1);
    Metadata metadata = new Metadata();
    metadata.set(MetadataKeys.RESOURCE_NAME, "notes.txt");
    ParseContext context = new ParseContext();
    context.set(org.apache.tika.detect.EncodingDetector.class,
        new Utf8FirstEncodingDetector(org.apache.tika.config.TikaConfig.getDefaultConfig().getEncodingDetector()));
    try (InputStream in = Files.newInputStream(file)) {
      new AutoDetectParser().parse(in, body, metadata, context);
    }

    assertThat(parsed.mediaType()).isEqualTo("text/plain");
    assertThat(parsed.sections()).hasSize(1);
    assertThat(parsed.sections().get(0).text()).isEqualTo(TikaSections.tidy(body.toString(), false));
    assertThat(parsed.sections().get(0).provenance()).isEqualTo(Provenance.NONE);
    assertThat(parsed.metadata().get(MetadataKeys.CHARSET))
        .isEqualToIgnoringCase(metadata.get(Metadata.CONTENT_ENCODING));
  }

  @Test
  void invalidCharactersAreReplacedAsTikaReplacesThem() {
    assertThat(PlainText.replaceInvalid("a\u0097b\u0001c\td\ne\rf\uFFFEg\ud800h\ud83c\udf0ai"))
        .isEqualTo("a\uFFFDb\uFFFDc\td\ne\rf\uFFFDg\uFFFDh\ud83c\udf0ai");
    String clean = "nothing to replace";
    assertThat(PlainText.replaceInvalid(clean)).isSameAs(clean);
  }
}
