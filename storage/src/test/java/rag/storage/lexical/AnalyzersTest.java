package rag.storage.lexical;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.util.CharTokenizer;
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

  @Test
  void rememberedStemsAreThePorterStemmersStems() throws IOException {
    Analyzer reference = new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = new StandardTokenizer();
        TokenStream stream = new StopFilter(new LowerCaseFilter(new EnglishPossessiveFilter(source)),
            EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        return new TokenStreamComponents(source, new PorterStemFilter(stream));
      }
    };
    Analyzer prose = Analyzers.prose();
    String text = resource("/scifact/corpus-300.jsonl") + resource("/tokenizer/prose.txt");
    List<String> expected = tokens(reference, text);
    assertThat(expected).hasSizeGreaterThan(10_000);
    for (int round = 0; round < 2; round++) { // the second time every stem is remembered
      assertThat(tokens(prose, text)).as("round %d", round).isEqualTo(expected);
    }
  }

  @Test
  void rememberedStemsOfTitlesAreThePorterStemmersStems() throws IOException {
    Analyzer reference = new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = CharTokenizer.fromTokenCharPredicate(c -> Character.isLetterOrDigit(c) || c == '_');
        TokenStream stream = new WordDelimiterGraphFilter(source, WordDelimiterGraphFilter.GENERATE_WORD_PARTS
            | WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS | WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE
            | WordDelimiterGraphFilter.SPLIT_ON_NUMERICS | WordDelimiterGraphFilter.PRESERVE_ORIGINAL, null);
        stream = new StopFilter(new LowerCaseFilter(new FlattenGraphFilter(stream)),
            EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        return new TokenStreamComponents(source, new PorterStemFilter(stream));
      }
    };
    String text = "Inventory.java \u203a Inventory.addItems parseHttpHeaders running_totals HTTP2Clients "
        + resource("/tokenizer/prose.txt");
    Analyzer title = Analyzers.title();
    List<String> expected = tokens(reference, text);
    for (int round = 0; round < 2; round++) {
      assertThat(tokens(title, text)).as("round %d", round).isEqualTo(expected);
    }
  }

  /** Each token as term, position increment and offsets. */
  private static List<String> tokens(Analyzer analyzer, String text) throws IOException {
    List<String> tokens = new ArrayList<>();
    try (TokenStream stream = analyzer.tokenStream("text", text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute increment = stream.addAttribute(PositionIncrementAttribute.class);
      OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        tokens.add(term + " +" + increment.getPositionIncrement() + " " + offset.startOffset() + "-"
            + offset.endOffset());
      }
      stream.end();
    }
    return tokens;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = AnalyzersTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
