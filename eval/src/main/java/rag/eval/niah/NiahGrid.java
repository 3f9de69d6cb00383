package rag.eval.niah;

import java.util.ArrayList;
import java.util.List;

/** The context lengths (tokens) and needle depths (percent) of a NIAH run; every pair is one cell. */
public record NiahGrid(List<Integer> contextLengths, List<Double> depthPercents) {
  public NiahGrid {
    contextLengths = List.copyOf(contextLengths);
    depthPercents = List.copyOf(depthPercents);
    if (contextLengths.isEmpty() || depthPercents.isEmpty()) {
      throw new IllegalArgumentException("a grid needs at least one context length and one depth");
    }
    for (int length : contextLengths) {
      if (length < 1) {
        throw new IllegalArgumentException("illegal context length " + length + ", must be at least 1 token");
      }
    }
    for (double depth : depthPercents) {
      if (!(depth >= 0 && depth <= 100)) {
        throw new IllegalArgumentException("illegal depth " + depth + "%, must be in [0, 100]");
      }
    }
  }

  public int size() {
    return contextLengths.size() * depthPercents.size();
  }

  /**
   * {@code count} lengths from {@code min} to {@code max} inclusive, evenly spaced on a log scale and rounded to whole
   * tokens; lengths that round to the same number appear once. {@code logSpacedLengths(1_000, 10_000_000, 5)} gives
   * 1000, 10000, 100000, 1000000, 10000000.
   */
  public static List<Integer> logSpacedLengths(int min, int max, int count) {
    if (min < 1 || max < min || count < 1 || (count == 1 && min != max)) {
      throw new IllegalArgumentException("illegal log-spaced lengths min " + min + ", max " + max + ", count " + count
          + ": need 1 <= min <= max and count >= 1 (count 1 only when min == max)");
    }
    List<Integer> lengths = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double exponent = count == 1 ? 0 : (double) i / (count - 1);
      int length = (int) Math.round(min * Math.pow((double) max / min, exponent));
      if (i == count - 1) {
        length = max;
      }
      if (lengths.isEmpty() || lengths.get(lengths.size() - 1) != length) {
        lengths.add(length);
      }
    }
    return lengths;
  }

  /** {@code steps} depths from 0 to 100 inclusive, evenly spaced ({@code linearDepths(5)}: 0, 25, 50, 75, 100). */
  public static List<Double> linearDepths(int steps) {
    if (steps < 2) {
      throw new IllegalArgumentException("illegal depth steps " + steps + ", must be at least 2 (0 and 100)");
    }
    List<Double> depths = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      depths.add(i * 100.0 / (steps - 1));
    }
    return depths;
  }
}
