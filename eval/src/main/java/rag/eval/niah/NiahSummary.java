package rag.eval.niah;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Found rate and mean score over all cells, per context length and per depth (in grid order). */
public record NiahSummary(int cells, double foundRate, double meanScore, List<LengthAverage> byLength,
    List<DepthAverage> byDepth) {
  public record LengthAverage(int contextLength, int cells, double foundRate, double meanScore) {}

  public record DepthAverage(double depthPercent, int cells, double foundRate, double meanScore) {}

  public NiahSummary {
    byLength = List.copyOf(byLength);
    byDepth = List.copyOf(byDepth);
  }

  public static NiahSummary of(List<NiahCell> cells) {
    List<LengthAverage> byLength = new ArrayList<>();
    groups(cells, NiahCell::contextLength).forEach((length, group) ->
        byLength.add(new LengthAverage(length, group.size(), foundRate(group), meanScore(group))));
    List<DepthAverage> byDepth = new ArrayList<>();
    groups(cells, NiahCell::depthPercent).forEach((depth, group) ->
        byDepth.add(new DepthAverage(depth, group.size(), foundRate(group), meanScore(group))));
    return new NiahSummary(cells.size(), foundRate(cells), meanScore(cells), byLength, byDepth);
  }

  private static <K> Map<K, List<NiahCell>> groups(List<NiahCell> cells, Function<NiahCell, K> key) {
    Map<K, List<NiahCell>> groups = new LinkedHashMap<>();
    cells.forEach(c -> groups.computeIfAbsent(key.apply(c), k -> new ArrayList<>()).add(c));
    return groups;
  }

  private static double foundRate(List<NiahCell> cells) {
    return cells.isEmpty() ? 0 : (double) cells.stream().filter(NiahCell::found).count() / cells.size();
  }

  private static double meanScore(List<NiahCell> cells) {
    return cells.stream().mapToDouble(NiahCell::score).average().orElse(0);
  }
}
