package rag.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.sax.BodyContentHandler;
import org.junit.jupiter.api.Test;

/** Files that must fail, each with its problem type and a detail a person can act on. */
class HostileFilesTest {

  @Test
  void zeroByteFileIsEmpty() {
    assertFailure("empty.txt", FailureKind.EMPTY, "empty (0 bytes)");
  }

  @Test
  void pdfCutInHalfIsCorrupt() {
    assertFailure("truncated-half.pdf", FailureKind.CORRUPT, "truncated");
  }

  @Test
  void docxCutInHalfIsCorruptWithTikasReasonWithoutClassNames() {
    assertFailure("truncated-half.docx", FailureKind.CORRUPT, "DOCX file is damaged or truncated");
  }

  @Test
  void passwordProtectedPdfIsEncryptedAndNoPasswordIsTried() {
    assertFailure("encrypted-user-password.pdf", FailureKind.ENCRYPTED, "PDF is protected by a password");
  }

  @Test
  void passwordProtectedDocxIsEncrypted() {
    assertFailure("encrypted-password.docx", FailureKind.ENCRYPTED, "protected by a password");
  }

  @Test
  void pngNamedDocxIsUnsupportedAndNamesTheRealType() {
    if (Ocr.available()) {
      // detected as the image it is, OCRed, and found to hold no text
      assertFailure("photo-named-as.docx", FailureKind.NO_TEXT, "OCR found no text in the image");
    } else {
      assertFailure("photo-named-as.docx", FailureKind.UNSUPPORTED, "image/png");
    }
  }

  @Test
  void unrecognisedBinaryIsUnsupported() {
    assertFailure("random-bytes.bin", FailureKind.UNSUPPORTED, "application/octet-stream");
  }

  @Test
  void externalEntityIsRefused() {
    assertFailure("xxe-external-entity.xml", FailureKind.HOSTILE, "file:///etc/passwd");
  }

  @Test
  void tikaItselfNeverResolvesTheExternalEntity() throws Exception {
    // The refusal above is ours; this shows that Tika's own XML parsing is safe without it.
    BodyContentHandler text = new BodyContentHandler(-1);
    byte[] xml = Files.readAllBytes(Fixtures.path("xxe-external-entity.xml"));
    new AutoDetectParser().parse(new ByteArrayInputStream(xml), text, new Metadata(), new ParseContext());
    assertThat(text.toString()).contains("Before the entity.").contains("After the entity.")
        .doesNotContain("root:").doesNotContain("/bin/");
  }

  @Test
  void billionLaughsIsRefused() {
    assertFailure("billion-laughs.xml", FailureKind.HOSTILE, "entity-expansion or zip-bomb");
  }

  @Test
  void zipBombIsRefused() {
    assertFailure("zip-bomb.docx", FailureKind.HOSTILE, "expands to far more data");
  }

  @Test
  void imageOnlyPdfNeedsOcr() throws ParseFailure {
    if (Ocr.available()) {
      ParsedDocument document = Fixtures.parse("scanned-image-only-huckleberry-finn-p22.pdf");
      assertThat(document.sections()).isNotEmpty();
      assertThat(document.metadata()).containsEntry(MetadataKeys.OCR, "true");
    } else {
      assertFailure("scanned-image-only-huckleberry-finn-p22.pdf", FailureKind.NO_TEXT,
          "the PDF has no text layer (image-only); install tesseract-ocr to OCR it");
    }
  }

  static void assertFailure(String fixture, FailureKind kind, String detail) {
    ParseFailure failure = catchThrowableOfType(ParseFailure.class, () -> Fixtures.parse(fixture));
    assertThat(failure).as(fixture + " must fail").isNotNull();
    assertThat(failure.kind()).as(failure.getMessage()).isEqualTo(kind);
    assertHumanReadable(failure.getMessage());
    assertThat(failure.getMessage()).contains(detail);
  }

  static void assertHumanReadable(String detail) {
    assertThat(detail).isNotBlank().hasSizeLessThan(400).doesNotContain("\n")
        .doesNotContainPattern("\\b(?:org|java|javax|com)\\.[a-z]+\\.")
        .doesNotContainPattern("[A-Z][a-z]+(?:Exception|Error)\\b")
        .doesNotContain("@");
  }
}
