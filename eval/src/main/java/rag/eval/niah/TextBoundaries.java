package rag.eval.niah;

import java.util.ArrayList;
import java.util.List;
import rag.storage.embed.TokenCounter;

/**
 * Sentence and paragraph boundaries, and cutting text by tokens. A sentence ends after {@code .}, {@code !},
 * {@code ?} or {@code …}, optionally followed by closing quotes or brackets, when whitespace or the end of the text
 * comes next. "Mr. Smith" counts as two sentences; for placing needles that does no harm.
 */
final class TextBoundaries {
  private static final String TERMINATORS = ".!?…";
  private static final String CLOSERS = "\"'”’)]»";

  private TextBoundaries() {}

  /** True when {@code pos} is the start of the text, just after a sentence end, or the start of a paragraph. */
  static boolean isBoundary(String text, int pos) {
    if (pos == 0) {
      return true;
    }
    if (pos >= 2 && text.charAt(pos - 1) == '\n' && text.charAt(pos - 2) == '\n') {
      return true;
    }
    if (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
      return false;
    }
    int i = pos - 1;
    while (i > 0 && CLOSERS.indexOf(text.charAt(i)) >= 0) {
      i--;
    }
    return TERMINATORS.indexOf(text.charAt(i)) >= 0;
  }

  /** The nearest boundary at or before {@code pos}; 0 when there is none. */
  static int boundaryAtOrBefore(String text, int pos) {
    int p = pos;
    while (p > 0 && !isBoundary(text, p)) {
      p--;
    }
    return p;
  }

  /**
   * Splits one paragraph into sentences whose concatenation is the paragraph. Each cut comes right after a sentence
   * end and any line breaks that follow it, so the space before the next sentence starts the next piece: that is
   * where a BPE tokenizer's pre-tokenizer splits too, so the pieces' token counts add up to the paragraph's.
   */
  static List<String> sentences(String paragraph) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    int n = paragraph.length();
    for (int i = 0; i < n; i++) {
      if (TERMINATORS.indexOf(paragraph.charAt(i)) < 0) {
        continue;
      }
      int end = i + 1;
      while (end < n && CLOSERS.indexOf(paragraph.charAt(end)) >= 0) {
        end++;
      }
      if (end < n && !Character.isWhitespace(paragraph.charAt(end))) {
        continue;
      }
      while (end < n && (paragraph.charAt(end) == '\n' || paragraph.charAt(end) == '\r')) {
        end++;
      }
      if (end < n) {
        pieces.add(paragraph.substring(start, end));
        start = end;
      }
      i = end - 1;
    }
    pieces.add(paragraph.substring(start));
    return pieces;
  }

  /** The longest prefix length of {@code text} with at most {@code maxTokens} tokens, never inside a surrogate pair. */
  static int prefixWithin(String text, int maxTokens, TokenCounter counter) {
    int low = 0;
    int high = text.length();
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (counter.count(text.substring(0, mid)) <= maxTokens) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    if (low > 0 && low < text.length() && Character.isHighSurrogate(text.charAt(low - 1))) {
      low--;
    }
    return low;
  }
}
