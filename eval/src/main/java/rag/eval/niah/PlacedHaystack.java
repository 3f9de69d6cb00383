package rag.eval.niah;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A haystack with needles in it. The base haystack is not copied: only the segments that received a needle get new
 * text ({@link #changedSegments()}), so an indexer that holds the base haystack can re-index just those. A needle is
 * set off from its neighbours by one space where the text there has no whitespace.
 */
public final class PlacedHaystack {
  private final Haystack haystack;
  private final List<PlacedNeedle> needles;
  private final SortedMap<Integer, String> changed;

  public PlacedHaystack(Haystack haystack, List<PlacedNeedle> needles) {
    this.haystack = Objects.requireNonNull(haystack, "haystack");
    this.needles = List.copyOf(needles);
    SortedMap<Integer, String> texts = new TreeMap<>();
    for (PlacedNeedle needle : this.needles) {
      int index = needle.placement().segmentIndex();
      texts.computeIfAbsent(index, this::withNeedles);
    }
    this.changed = Collections.unmodifiableSortedMap(texts);
  }

  public Haystack haystack() {
    return haystack;
  }

  /** All needles, targets first, in the order of the needle set. */
  public List<PlacedNeedle> needles() {
    return needles;
  }

  public List<PlacedNeedle> targets() {
    return needles.stream().filter(PlacedNeedle::target).toList();
  }

  /** New text of each segment that holds a needle, by segment index. */
  public SortedMap<Integer, String> changedSegments() {
    return changed;
  }

  public int segmentCount() {
    return haystack.segments().size();
  }

  public String segmentText(int index) {
    String text = changed.get(index);
    return text != null ? text : haystack.segment(index).text();
  }

  public String text() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < segmentCount(); i++) {
      text.append(segmentText(i));
    }
    return text.toString();
  }

  private String withNeedles(int index) {
    String original = haystack.segment(index).text();
    List<PlacedNeedle> here = needles.stream().filter(n -> n.placement().segmentIndex() == index)
        .sorted(Comparator.comparingInt(n -> n.placement().charOffset())).toList();
    StringBuilder text = new StringBuilder();
    int copied = 0;
    for (PlacedNeedle needle : here) {
      int at = needle.placement().charOffset();
      text.append(original, copied, at);
      copied = at;
      Character left = text.length() > 0 ? Character.valueOf(text.charAt(text.length() - 1))
          : lastCharOf(index - 1);
      Character right = at < original.length() ? Character.valueOf(original.charAt(at)) : firstCharOf(index + 1);
      if (left != null && !Character.isWhitespace(left)) {
        text.append(' ');
      }
      text.append(needle.needle().text());
      if (right != null && !Character.isWhitespace(right)) {
        text.append(' ');
      }
    }
    text.append(original, copied, original.length());
    return text.toString();
  }

  private Character lastCharOf(int index) {
    if (index < 0) {
      return null;
    }
    String text = haystack.segment(index).text();
    return text.isEmpty() ? null : text.charAt(text.length() - 1);
  }

  private Character firstCharOf(int index) {
    if (index >= segmentCount()) {
      return null;
    }
    String text = haystack.segment(index).text();
    return text.isEmpty() ? null : text.charAt(0);
  }

  @Override
  public String toString() {
    return "PlacedHaystack[" + haystack.name() + ", " + haystack.totalTokens() + " tokens, needles at "
        + needles.stream().map(PlacedNeedle::placement).toList() + "]";
  }
}
