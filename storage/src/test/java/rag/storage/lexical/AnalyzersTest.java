package rag.storage.lexical;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnalyzersTest {
  @Test
  void proseIsStemmedAndStopWordsDropped() {
    assertThat(Analyzers.terms(Analyzers.prose(), "text", "The runners were running to John's houses", 100))
        .containsExactly("runner", "were", "run", "john", "hous");
  }

  @Test
  void proseKeepsOtherScriptsSearchable() {
    assertThat(Analyzers.terms(Analyzers.prose(), "text", "Größe café 東京 Москва", 100))
        .contains("größe", "café", "東", "京", "москва");
  }

  @Test
  void codeSplitsCamelAndSnakeCaseAndKeepsTheWholeIdentifier() {
    assertThat(Analyzers.terms(Analyzers.code(), "code", "parseHttpHeader(raw_header_line, HTTP2Client)", 100))
        .contains("parsehttpheader", "parse", "http", "header", "raw_header_line", "raw", "line", "http2client",
            "client", "2");
  }
}
