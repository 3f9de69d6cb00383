package rag.eval.niah;

import java.util.ArrayList;
import java.util.List;
import rag.storage.embed.TokenCounter;

/**
 * A probe that "reads" only the first {@code window} tokens of the placed haystack and answers with the needles it
 * finds there (substring search). Whether a needle is inside the window follows from the token arithmetic of the
 * placement, which is what the run tests compute by hand.
 */
final class FirstTokensProbe implements NeedleProbe {
  private final int window;
  private final TokenCounter counter;
  final List<Integer> prepared = new ArrayList<>();
  final List<Integer> changedSegmentCounts = new ArrayList<>();

  FirstTokensProbe(int window, TokenCounter counter) {
    this.window = window;
    this.counter = counter;
  }

  @Override
  public void prepare(Haystack haystack) {
    prepared.add(haystack.totalTokens());
  }

  @Override
  public ProbeResult probe(PlacedHaystack haystack, String question) {
    changedSegmentCounts.add(haystack.changedSegments().size());
    String text = haystack.text();
    int low = 0;
    int high = text.length();
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (counter.count(text.substring(0, mid)) <= window) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    String read = text.substring(0, low);
    List<String> found = haystack.needles().stream().map(n -> n.needle().text()).filter(read::contains).toList();
    boolean allTargets = haystack.targets().stream().allMatch(n -> read.contains(n.needle().text()));
    return new ProbeResult(String.join(" ", found), allTargets ? 1 : null);
  }
}
