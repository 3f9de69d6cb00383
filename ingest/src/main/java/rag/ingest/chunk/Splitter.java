package rag.ingest.chunk;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rag.storage.embed.TokenCounter;
import rag.storage.model.Provenance;

/**
 * Cuts text into {@link Unit}s no larger than a token limit: paragraphs (blank lines) into sentences
 * ({@link BreakIterator}), a sentence over the limit into runs of whole words, and a single word
 * over the limit (long URLs, base64, scripts written without spaces) into runs of characters, never
 * inside a surrogate pair. Boundary strengths: {@link #SECTION} > {@link #PARAGRAPH} >
 * {@link #SENTENCE} > {@link #WORD} > {@link #INSIDE_WORD}.
 */
final class Splitter {
  static final int INSIDE_WORD = 0;
  static final int WORD = 0;
  static final int SENTENCE = 1;
  static final int PARAGRAPH = 2;
  static final int SECTION = 3;

  private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\n[\\t\\x0B\\f\\r \\u00A0]*\\n\\s*");

  /**
   * Text longer than this many characters per allowed token is taken to be over the limit without
   * counting it: counting a long run without spaces costs more than linear time. Getting it wrong
   * only cuts a piece that would have fitted, never makes one too big.
   */
  private static final int CHARS_PER_TOKEN_CEILING = 40;

  private final TokenCounter counter;
  private final int maxTokens;

  Splitter(TokenCounter counter, int maxTokens) {
    this.counter = counter;
    this.maxTokens = maxTokens;
  }

  /** The units of one section's text; the last one gets {@code lastGap} and {@link #SECTION}. */
  List<Unit> sentences(String text, Provenance provenance, String lastGap) {
    List<Unit> units = new ArrayList<>();
    BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
    Matcher breaks = PARAGRAPH_BREAK.matcher(text);
    int start = 0;
    while (start < text.length()) {
      int end = breaks.find(start) ? breaks.start() : text.length();
      int next = end == text.length() ? end : breaks.end();
      String paragraph = text.substring(start, end);
      sentences.setText(paragraph);
      int from = sentences.first();
      for (int to = sentences.next(); to != BreakIterator.DONE; from = to, to = sentences.next()) {
        addTrimmed(units, paragraph.substring(from, to), SENTENCE, provenance);
      }
      if (!units.isEmpty()) {
        Unit last = units.get(units.size() - 1);
        units.set(units.size() - 1, last.withGapAfter(last.gapAfter() + text.substring(end, next))
            .withBoundaryAfter(PARAGRAPH));
      }
      start = next;
    }
    if (!units.isEmpty()) {
      Unit last = units.get(units.size() - 1);
      units.set(units.size() - 1, last.withGapAfter(lastGap).withBoundaryAfter(SECTION));
    }
    return units;
  }

  /** {@code piece} as one unit, or as several when it is over the limit; whitespace around it becomes gaps. */
  void addTrimmed(List<Unit> units, String piece, int boundary, Provenance provenance) {
    String text = piece.strip();
    if (text.isEmpty()) {
      if (!units.isEmpty()) {
        Unit last = units.get(units.size() - 1);
        units.set(units.size() - 1, last.withGapAfter(last.gapAfter() + piece));
      }
      return;
    }
    int lead = piece.indexOf(text);
    if (lead > 0 && !units.isEmpty()) {
      Unit last = units.get(units.size() - 1);
      units.set(units.size() - 1, last.withGapAfter(last.gapAfter() + piece.substring(0, lead)));
    }
    String trailing = piece.substring(lead + text.length());
    int tokens = surelyOver(text) ? Integer.MAX_VALUE : counter.count(text);
    if (tokens <= maxTokens) {
      units.add(new Unit(text, trailing, tokens, boundary, provenance));
      return;
    }
    List<Unit> pieces = words(text, provenance);
    Unit last = pieces.get(pieces.size() - 1);
    pieces.set(pieces.size() - 1, last.withGapAfter(trailing).withBoundaryAfter(boundary));
    units.addAll(pieces);
  }

  /**
   * Runs of whole words, each within the limit; a word over the limit is cut by {@link #characters}.
   * Whitespace at the start stays in the first run, so that the runs and their gaps give back the text.
   */
  List<Unit> words(String text, Provenance provenance) {
    List<int[]> spans = new ArrayList<>(); // word start, word end, end of the whitespace after it
    int at = 0;
    while (at < text.length()) {
      int start = at;
      while (at < text.length() && !Character.isWhitespace(text.codePointAt(at))) {
        at += Character.charCount(text.codePointAt(at));
      }
      int end = at;
      while (at < text.length() && Character.isWhitespace(text.codePointAt(at))) {
        at += Character.charCount(text.codePointAt(at));
      }
      spans.add(new int[] {start, end, at});
    }
    List<Unit> pieces = new ArrayList<>();
    int i = 0;
    while (i < spans.size()) {
      int[] first = spans.get(i);
      String word = text.substring(first[0], first[1]);
      int estimate = surelyOver(word) ? Integer.MAX_VALUE : counter.count(word);
      if (estimate > maxTokens) {
        pieces.addAll(characters(word, provenance, text.substring(first[1], first[2])));
        i++;
        continue;
      }
      int j = i + 1;
      while (j < spans.size()) {
        int next = counter.count(text.substring(spans.get(j)[0], spans.get(j)[1]));
        if (estimate + next > maxTokens) {
          break;
        }
        estimate += next;
        j++;
      }
      String piece = text.substring(first[0], spans.get(j - 1)[1]);
      int tokens = counter.count(piece);
      while (tokens > maxTokens && j > i + 1) {
        j--;
        piece = text.substring(first[0], spans.get(j - 1)[1]);
        tokens = counter.count(piece);
      }
      pieces.add(new Unit(piece, text.substring(spans.get(j - 1)[1], spans.get(j - 1)[2]), tokens, WORD,
          provenance));
      i = j;
    }
    return pieces;
  }

  /** Runs of characters, each the longest prefix within the limit (binary search over code points). */
  List<Unit> characters(String word, Provenance provenance, String gapAfterLast) {
    List<Unit> pieces = new ArrayList<>();
    int limit = searchLimit(word);
    int start = 0;
    while (start < word.length()) {
      int low = 1;
      int high = Math.min(word.codePointCount(start, word.length()), limit);
      while (low < high) {
        int mid = (low + high + 1) >>> 1;
        if (counter.count(word.substring(start, word.offsetByCodePoints(start, mid))) <= maxTokens) {
          low = mid;
        } else {
          high = mid - 1;
        }
      }
      int end = word.offsetByCodePoints(start, low);
      String piece = word.substring(start, end);
      pieces.add(new Unit(piece, "", counter.count(piece), INSIDE_WORD, provenance));
      start = end;
    }
    Unit last = pieces.get(pieces.size() - 1);
    pieces.set(pieces.size() - 1, last.withGapAfter(gapAfterLast));
    return pieces;
  }

  private boolean surelyOver(String text) {
    return text.length() > (long) maxTokens * CHARS_PER_TOKEN_CEILING;
  }

  /**
   * How many code points the binary search may try: twice what the characters per token of a sample
   * suggest (sampled once per word). Counting a long run without spaces costs more than linear time, so searching the whole
   * word would be slow; a bound that is too low only makes a piece shorter, never wrong.
   */
  private int searchLimit(String word) {
    int sampleEnd = word.offsetByCodePoints(0, Math.min(1024, word.codePointCount(0, word.length())));
    int sampleTokens = Math.max(1, counter.count(word.substring(0, sampleEnd)));
    double perToken = (double) word.codePointCount(0, sampleEnd) / sampleTokens;
    return (int) Math.max(1, Math.ceil(maxTokens * perToken * 2));
  }
}
