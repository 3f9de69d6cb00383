package rag.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.exception.TikaException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.ParseContext;
import org.junit.jupiter.api.Test;
import org.xml.sax.ContentHandler;

/**
 * The text limit, the timeout and out-of-memory handling. Tika cannot be made to hang or run out
 * of memory on demand, so those tests put a Tika {@code Parser} that does (the part we do not own,
 * through its real interface) in place of the {@code AutoDetectParser}.
 */
class ParserLimitsTest {
  private static final TikaConfig TIKA = TikaConfig.getDefaultConfig();

  @Test
  void textOverTheLimitIsKeptUpToItWithAWarning() throws ParseFailure {
    TikaParser parser = new TikaParser(new ParserLimits(60, Duration.ofSeconds(30)));
    ParsedDocument document = parser.parse(Fixtures.source("guide.html"));
    int chars = document.sections().stream().mapToInt(s -> s.text().length()).sum();
    assertThat(chars).isPositive().isLessThanOrEqualTo(60);
    assertThat(document.sections().get(0).text()).startsWith("Field Guide to Lichens");
    assertThat(document.metadata()).containsEntry(MetadataKeys.TRUNCATED, "true");
    assertThat(document.warnings()).containsExactly(
        "the text was cut after 60 characters (the configured limit); the rest is not indexed");
  }

  @Test
  void sourceCodeOverTheLimitIsCutAtALineEnd() throws ParseFailure {
    TikaParser parser = new TikaParser(new ParserLimits(100, Duration.ofSeconds(30)));
    ParsedDocument document = parser.parse(Fixtures.source("Inventory.java"));
    String text = document.sections().get(0).text();
    assertThat(text).isEqualTo("package example.shop;\n\nimport java.util.HashMap;\nimport java.util.Map;\n\n");
    assertThat(document.sections().get(0).provenance().lineEnd()).isEqualTo(5);
    assertThat(document.warnings()).hasSize(1);
  }

  @Test
  void aParserThatHangsIsStoppedAtTheTimeoutAndInterrupted() throws Exception {
    HangingParser hanging = new HangingParser();
    TikaParser parser = new TikaParser(new ParserLimits(1000, Duration.ofMillis(200)), TIKA, hanging);
    long start = System.nanoTime();
    ParseFailure failure = catchThrowableOfType(ParseFailure.class, () -> parser.parse(Fixtures.source("handbook.docx")));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(failure.kind()).isEqualTo(FailureKind.TIMEOUT);
    assertThat(failure.getMessage()).isEqualTo(
        "parsing took longer than 200 ms and was stopped; the file may be malformed or too complex");
    assertThat(millis).isBetween(150L, 5_000L);
    assertThat(hanging.interrupted.await(5, TimeUnit.SECONDS)).as("worker interrupted").isTrue();
  }

  @Test
  void outOfMemoryIsTooLarge() {
    TikaParser parser = new TikaParser(ParserLimits.DEFAULT, TIKA, new FailingParser(new OutOfMemoryError("Java heap space")));
    ParseFailure failure = catchThrowableOfType(ParseFailure.class, () -> parser.parse(Fixtures.source("handbook.docx")));
    assertThat(failure.kind()).isEqualTo(FailureKind.TOO_LARGE);
    HostileFilesTest.assertHumanReadable(failure.getMessage());
  }

  @Test
  void tikaErrorsLoseTheirClassNames() {
    TikaException error = new TikaException("Unexpected RuntimeException from "
        + "org.apache.tika.parser.microsoft.ooxml.OOXMLParser@5e9f23b4",
        new IllegalStateException("java.util.zip.ZipException: invalid entry size (expected 12 but got 7 bytes)"));
    TikaParser parser = new TikaParser(ParserLimits.DEFAULT, TIKA, new FailingParser(error));
    ParseFailure failure = catchThrowableOfType(ParseFailure.class, () -> parser.parse(Fixtures.source("handbook.docx")));
    assertThat(failure.kind()).isEqualTo(FailureKind.CORRUPT);
    assertThat(failure.getMessage()).isEqualTo(
        "the DOCX file is damaged or truncated and cannot be read (invalid entry size (expected 12 but got 7 bytes))");
  }

  @Test
  void limitsAreChecked() {
    assertThatThrownBy(() -> new ParserLimits(0, Duration.ofSeconds(1)))
        .hasMessage("illegal text limit 0 characters, must be in 1..2147483647");
    assertThatThrownBy(() -> new ParserLimits(10, Duration.ZERO))
        .hasMessage("illegal parse timeout PT0S, must be positive");
  }

  /** Blocks until interrupted, like a parser stuck in a loop that still checks for interrupts. */
  static final class HangingParser implements org.apache.tika.parser.Parser {
    private static final long serialVersionUID = 1L;
    final transient CountDownLatch interrupted = new CountDownLatch(1);

    @Override
    public Set<MediaType> getSupportedTypes(ParseContext context) {
      return Set.of(MediaType.OCTET_STREAM);
    }

    @Override
    public void parse(InputStream stream, ContentHandler handler, Metadata metadata, ParseContext context) {
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
    }
  }

  /** Throws what it is given. */
  static final class FailingParser implements org.apache.tika.parser.Parser {
    private static final long serialVersionUID = 1L;
    private final transient Throwable error;

    FailingParser(Throwable error) {
      this.error = error;
    }

    @Override
    public Set<MediaType> getSupportedTypes(ParseContext context) {
      return Set.of(MediaType.OCTET_STREAM);
    }

    @Override
    public void parse(InputStream stream, ContentHandler handler, Metadata metadata, ParseContext context)
        throws TikaException {
      if (error instanceof TikaException tika) {
        throw tika;
      }
      throw (Error) error;
    }
  }
}
