package rag.eval.niah;

import java.util.List;
import java.util.Objects;

/**
 * A haystack of {@code totalTokens} tokens (counted with the tokenizer {@code tokenizer}) as an ordered list of
 * segments; its text is the segments' texts concatenated. {@code totalTokens} is the sum of the segments' counts,
 * which can differ from a count of the whole text by a token or two where a segment boundary changes how the
 * tokenizer splits; with boundaries at sentence and paragraph ends it rarely does.
 */
public record Haystack(String name, String tokenizer, List<Segment> segments, int totalTokens) {
  public Haystack {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tokenizer, "tokenizer");
    segments = List.copyOf(segments);
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a haystack needs at least one segment");
    }
  }

  public Segment segment(int index) {
    return segments.get(index);
  }

  /** Index of the segment holding token {@code tokenOffset} (the last segment for the offset {@code totalTokens}). */
  public int segmentAt(int tokenOffset) {
    if (tokenOffset < 0 || tokenOffset > totalTokens) {
      throw new IllegalArgumentException("token offset " + tokenOffset + " outside the haystack [0, " + totalTokens
          + "]");
    }
    int low = 0;
    int high = segments.size() - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (segments.get(mid).tokenStart() <= tokenOffset) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }

  public String text() {
    StringBuilder text = new StringBuilder();
    segments.forEach(s -> text.append(s.text()));
    return text.toString();
  }
}
