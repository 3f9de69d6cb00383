package rag.storage.lexical;

import java.io.IOException;
import org.apache.lucene.analysis.CharArrayMap;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.KeywordAttribute;

/**
 * Porter stemming that remembers the stems of the words it has seen: a word met again takes its stem from a table
 * instead of the stemmer's five steps (the stemmer was a quarter of indexing's analysis). A stem depends on the word
 * alone, so the terms are the same as {@link PorterStemFilter}'s. One cache per analysis chain: an analyzer's chain
 * is used by one thread at a time, so the table needs no locking; it is emptied when it holds {@link #MAX_WORDS}.
 */
final class StemCache {
  static final int MAX_WORDS = 50_000;

  private final CharArrayMap<char[]> stems = new CharArrayMap<>(1024, false);
  private char[] word = new char[32];
  private int wordLength;
  /** Whether the current token's stem came from the table (the stemmer is then told to leave it). */
  private boolean remembered;

  /** {@code input} stemmed as {@link PorterStemFilter} stems it. */
  static TokenStream porter(TokenStream input) {
    StemCache cache = new StemCache();
    return cache.new Store(new PorterStemFilter(cache.new Lookup(input)));
  }

  /** Puts a remembered stem in place of the word and marks it as a keyword, so that the stemmer passes it by. */
  private final class Lookup extends TokenFilter {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final KeywordAttribute keyword = addAttribute(KeywordAttribute.class);

    Lookup(TokenStream input) {
      super(input);
    }

    @Override
    public boolean incrementToken() throws IOException {
      if (!input.incrementToken()) {
        return false;
      }
      remembered = false;
      wordLength = -1;
      if (keyword.isKeyword()) {
        return true; // the stemmer leaves it as it is: nothing to remember
      }
      char[] stem = stems.get(term.buffer(), 0, term.length());
      if (stem != null) {
        term.copyBuffer(stem, 0, stem.length);
        keyword.setKeyword(true);
        remembered = true;
      } else {
        if (word.length < term.length()) {
          word = new char[term.length()];
        }
        System.arraycopy(term.buffer(), 0, word, 0, term.length());
        wordLength = term.length();
      }
      return true;
    }
  }

  /** Remembers the stem of a word the stemmer stemmed, and unmarks a remembered one. */
  private final class Store extends TokenFilter {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final KeywordAttribute keyword = addAttribute(KeywordAttribute.class);

    Store(TokenStream input) {
      super(input);
    }

    @Override
    public boolean incrementToken() throws IOException {
      if (!input.incrementToken()) {
        return false;
      }
      if (remembered) {
        keyword.setKeyword(false);
      } else if (wordLength >= 0) {
        if (stems.size() >= MAX_WORDS) {
          stems.clear();
        }
        char[] key = new char[wordLength];
        System.arraycopy(word, 0, key, 0, wordLength);
        char[] stem = new char[term.length()];
        System.arraycopy(term.buffer(), 0, stem, 0, term.length());
        stems.put(key, stem);
      }
      return true;
    }
  }
}
