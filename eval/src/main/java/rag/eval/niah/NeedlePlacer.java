package rag.eval.niah;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import rag.storage.embed.TokenCounter;

/**
 * Finds where needles go in a haystack. Depth {@code d} means token {@code floor(totalTokens * d / 100)}, moved back
 * to the nearest sentence or paragraph boundary (see {@link TextBoundaries}); depth 0 is the very start and depth
 * 100 the very end. Only the segment holding that token is read, so placing is cheap at any haystack length.
 */
public final class NeedlePlacer {
  private final TokenCounter counter;

  public NeedlePlacer(TokenCounter counter) {
    this.counter = Objects.requireNonNull(counter, "counter");
  }

  public NeedlePlacement locate(Haystack haystack, double depthPercent) {
    if (!(depthPercent >= 0 && depthPercent <= 100)) {
      throw new IllegalArgumentException("illegal depth " + depthPercent + "%, must be in [0, 100]");
    }
    if (depthPercent == 0) {
      return new NeedlePlacement(depthPercent, 0, 0, 0);
    }
    int last = haystack.segments().size() - 1;
    if (depthPercent == 100) {
      return new NeedlePlacement(depthPercent, last, haystack.segment(last).text().length(), haystack.totalTokens());
    }
    int target = (int) Math.floor(haystack.totalTokens() * depthPercent / 100.0);
    int index = haystack.segmentAt(target);
    Segment segment = haystack.segment(index);
    String text = segment.text();
    int chars = TextBoundaries.prefixWithin(text, target - segment.tokenStart(), counter);
    chars = TextBoundaries.boundaryAtOrBefore(text, chars);
    int tokens = chars == 0 ? 0 : counter.count(text.substring(0, chars));
    return new NeedlePlacement(depthPercent, index, chars, segment.tokenStart() + tokens);
  }

  /** Places every needle of the set at the depths {@link NeedleSet#depths(double)} gives for {@code depthPercent}. */
  public PlacedHaystack place(Haystack haystack, NeedleSet needles, double depthPercent) {
    List<Double> depths = needles.depths(depthPercent);
    List<Needle> all = needles.needles();
    List<PlacedNeedle> placed = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      placed.add(new PlacedNeedle(all.get(i), i < needles.targets().size(), locate(haystack, depths.get(i))));
    }
    return new PlacedHaystack(haystack, placed);
  }
}
