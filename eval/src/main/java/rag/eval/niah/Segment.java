package rag.eval.niah;

import java.util.Objects;

/**
 * A contiguous piece of a haystack: {@code tokens} tokens starting at token {@code tokenStart} of the haystack.
 * Segments end at a sentence or paragraph end (only the last segment of a haystack may be cut mid-sentence), so an
 * indexer can treat each one as a unit and re-index just the segments a needle changed.
 */
public record Segment(String source, String text, int tokenStart, int tokens) {
  public Segment {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(text, "text");
    if (tokenStart < 0 || tokens < 0) {
      throw new IllegalArgumentException("illegal segment token range: start " + tokenStart + ", tokens " + tokens);
    }
  }

  public int tokenEnd() {
    return tokenStart + tokens;
  }
}
