package rag.storage.lexical;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.util.CharTokenizer;

/** The analyzers of the lexical index. */
public final class Analyzers {
  private Analyzers() {}

  /**
   * Prose: Unicode word segmentation (so text in any language stays searchable, CJK by character),
   * English possessives, lower case, English stop words and Porter stemming. This is the analysis
   * Anserini uses for its BM25 baselines.
   */
  public static Analyzer prose() {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = new StandardTokenizer();
        TokenStream stream = new EnglishPossessiveFilter(source);
        stream = new LowerCaseFilter(stream);
        stream = new StopFilter(stream, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        return new TokenStreamComponents(source, StemCache.porter(stream));
      }
    };
  }

  /**
   * Source code: identifiers are split at camelCase, snake_case and digit boundaries, and kept whole
   * too, so {@code parseHttpHeader} is found by "parse http header" and by "parsehttpheader".
   */
  public static Analyzer code() {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = identifiers();
        return new TokenStreamComponents(source, identifierParts(source));
      }
    };
  }

  /**
   * Chunk headers (title or file name, section, speaker: {@link rag.storage.model.ChunkContext}): identifiers split
   * as in {@link #code()}, so {@code Inventory.java › Inventory.add} is found by "inventory add", then lower case,
   * English stop words and Porter stemming as in {@link #prose()}, so a heading's words match a question's.
   */
  public static Analyzer title() {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = identifiers();
        TokenStream stream = new StopFilter(identifierParts(source), EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        return new TokenStreamComponents(source, StemCache.porter(stream));
      }
    };
  }

  /** Runs of letters, digits and underscores. */
  private static Tokenizer identifiers() {
    return CharTokenizer.fromTokenCharPredicate(c -> Character.isLetterOrDigit(c) || c == '_');
  }

  /** Each identifier whole and split at camelCase, snake_case and digit boundaries, lower-cased. */
  private static TokenStream identifierParts(Tokenizer source) {
    int flags = WordDelimiterGraphFilter.GENERATE_WORD_PARTS
        | WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS
        | WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE
        | WordDelimiterGraphFilter.SPLIT_ON_NUMERICS
        | WordDelimiterGraphFilter.PRESERVE_ORIGINAL;
    TokenStream stream = new WordDelimiterGraphFilter(source, flags, null);
    stream = new FlattenGraphFilter(stream);
    return new LowerCaseFilter(stream);
  }

  /** The distinct terms {@code analyzer} makes of {@code text}, in first-seen order, at most {@code max}. */
  public static Set<String> terms(Analyzer analyzer, String field, String text, int max) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream stream = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken() && terms.size() < max) {
        terms.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return terms;
  }
}
