package rag.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.tika.config.TikaConfig;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatTest {
  private static final MediaTypeRegistry TYPES = TikaConfig.getDefaultConfig().getMediaTypeRegistry();

  @ParameterizedTest
  @CsvSource(nullValues = "-", value = {
      "application/pdf, a.pdf, false, PDF",
      "text/vtt, a.vtt, false, TRANSCRIPT",
      "application/x-subrip, a.srt, false, TRANSCRIPT",
      "text/plain, captions.srt, false, TRANSCRIPT",
      "text/x-java-source, A.java, false, CODE",
      "text/plain, cart.ts, false, CODE", // Tika says text/plain for TypeScript
      "application/rls-services+xml, main.rs, false, CODE", // and an XML type for Rust
      "text/x-go, main, false, CODE",
      "text/markdown, notes.md, false, DOCUMENT",
      "application/json, config.json, false, DOCUMENT",
      "text/csv, a.csv, false, DOCUMENT",
      "text/html, a.html, false, DOCUMENT",
      "message/rfc822, a.eml, false, DOCUMENT",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document, a.docx, false, DOCUMENT",
      "application/x-tika-ooxml-protected, a.docx, false, DOCUMENT",
      "image/png, a.png, true, IMAGE",
      "image/png, a.png, false, -",
      "application/octet-stream, a.bin, false, -",
      "application/x-dosexec, a.exe, false, -",
      "application/zip, a.zip, false, -",
      "video/mp2t, clip.ts, false, -"})
  void formatFromTypeAndName(String type, String name, boolean ocr, Format expected) {
    assertThat(Format.of(MediaType.parse(type), name, TYPES, ocr)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"text/x-java-source, Foo.java, JAVA", "text/plain, x.tsx, TYPESCRIPT", "text/x-c++src, m.cc, CPP",
      "text/x-python, tool, PYTHON", "text/x-ruby, a.rb, OTHER", "text/javascript, app.mjs, JAVASCRIPT"})
  void codeLanguage(String type, String name, CodeLanguage expected) {
    assertThat(CodeLanguage.of(MediaType.parse(type), name)).isEqualTo(expected);
  }
}
