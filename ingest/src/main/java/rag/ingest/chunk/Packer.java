package rag.ingest.chunk;

import java.util.ArrayList;
import java.util.List;
import rag.storage.embed.TokenCounter;

/**
 * Groups {@link Unit}s into chunks of at most {@code maxTokens}, the one algorithm behind every
 * chunker. For each chunk: start with the overlap (the last units of the previous chunk, up to
 * {@code overlapTokens}, never all of it), add units while the estimate fits, then end at the
 * strongest boundary among the ends that fill at least {@code minFill} of the limit (the latest of
 * equals), and finally count the rendered text exactly and drop units from the end (then from the
 * overlap) until it fits. Every unit is within the limit on its own, so every chunk holds at least
 * one new unit and the loop ends.
 */
final class Packer {
  /**
   * One chunk: the overlap units repeated from the previous chunk, the new units, the text and its
   * count, and how many of the text's leading characters and tokens the overlap takes.
   */
  record Pack(List<Unit> overlap, List<Unit> body, String text, int tokens, int overlapChars, int overlapTokens) {
    List<Unit> all() {
      List<Unit> all = new ArrayList<>(overlap);
      all.addAll(body);
      return all;
    }
  }

  /** Turns units into chunk text. The default joins each unit to the next with its gap. */
  interface Renderer {
    String render(List<Unit> units);
  }

  static final Renderer JOIN = units -> {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < units.size(); i++) {
      text.append(units.get(i).text());
      if (i + 1 < units.size()) {
        text.append(units.get(i).gapAfter());
      }
    }
    return text.toString();
  };

  private final TokenCounter counter;
  private final ChunkingConfig config;
  private final double minFill;
  private final int overlapBelow;
  private final Renderer renderer;

  /**
   * @param minFill a chunk ends at a stronger boundary only if that leaves it this full (0..1)
   * @param overlapBelow overlap is added only after a cut whose boundary is weaker than this
   */
  Packer(TokenCounter counter, ChunkingConfig config, double minFill, int overlapBelow, Renderer renderer) {
    this.counter = counter;
    this.config = config;
    this.minFill = minFill;
    this.overlapBelow = overlapBelow;
    this.renderer = renderer;
  }

  List<Pack> pack(List<Unit> units) {
    List<Pack> packs = new ArrayList<>();
    List<Unit> previous = List.of();
    int previousCut = Integer.MAX_VALUE;
    int i = 0;
    while (i < units.size()) {
      List<Unit> overlap = previousCut < overlapBelow ? overlap(previous) : List.of();
      int j = end(units, i, estimate(overlap));
      String text;
      int tokens;
      while (true) {
        List<Unit> chunk = new ArrayList<>(overlap);
        chunk.addAll(units.subList(i, j));
        text = renderer.render(chunk);
        tokens = counter.count(text);
        if (tokens <= config.maxTokens()) {
          break;
        }
        if (j - i > 1) {
          j--;
        } else if (!overlap.isEmpty()) {
          overlap = overlap.subList(1, overlap.size());
        } else {
          throw new IllegalStateException("a unit of " + tokens + " tokens is over the limit of "
              + config.maxTokens() + ": " + text.substring(0, Math.min(80, text.length())));
        }
      }
      List<Unit> body = List.copyOf(units.subList(i, j));
      if (!text.isBlank()) {
        int overlapChars = 0;
        int overlapTokens = 0;
        if (!overlap.isEmpty()) {
          String repeated = overlapPrefix(overlap);
          if (text.startsWith(repeated)) {
            overlapChars = repeated.length();
            overlapTokens = Math.min(tokens, counter.count(repeated)); // a short text: cheap, unlike the rest
          }
        }
        packs.add(new Pack(List.copyOf(overlap), body, text, tokens, overlapChars, overlapTokens));
      }
      previous = text.isBlank() ? List.of() : body; // no overlap out of a chunk that was dropped
      previousCut = j < units.size() ? units.get(j - 1).boundaryAfter() : Integer.MAX_VALUE;
      i = j;
    }
    return packs;
  }

  /** The overlap as it starts a chunk's text: rendered, with the gap to the first new unit. */
  String overlapPrefix(List<Unit> overlap) {
    return renderer.render(overlap) + overlap.get(overlap.size() - 1).gapAfter();
  }

  /** The exclusive end of the chunk starting at {@code start}: as many units as fit, then the best boundary. */
  private int end(List<Unit> units, int start, int used) {
    int max = config.maxTokens();
    int j = start;
    int estimate = used;
    List<Integer> fills = new ArrayList<>();
    while (j < units.size() && (j == start || estimate + cost(units.get(j)) <= max)) {
      estimate += cost(units.get(j));
      fills.add(estimate);
      j++;
    }
    if (j == units.size()) {
      return j;
    }
    int best = j;
    int bestStrength = units.get(j - 1).boundaryAfter();
    for (int k = j - 1; k > start; k--) {
      int strength = units.get(k - 1).boundaryAfter();
      if (strength > bestStrength && fills.get(k - 1 - start) >= minFill * max) {
        best = k;
        bestStrength = strength;
      }
    }
    return best;
  }

  /** The last units of the previous chunk within {@code overlapTokens}, leaving out at least its first unit. */
  private List<Unit> overlap(List<Unit> previous) {
    int limit = config.overlapTokens();
    if (limit == 0 || previous.size() < 2) {
      return List.of();
    }
    int from = previous.size();
    int estimate = 0;
    while (from > 1 && estimate + previous.get(from - 1).tokens() <= limit) {
      estimate += previous.get(from - 1).tokens();
      from--;
    }
    List<Unit> overlap = previous.subList(from, previous.size());
    while (!overlap.isEmpty() && counter.count(renderer.render(overlap)) > limit) {
      overlap = overlap.subList(1, overlap.size());
    }
    return overlap;
  }

  private static int estimate(List<Unit> units) {
    int sum = 0;
    for (Unit unit : units) {
      sum += cost(unit);
    }
    return sum;
  }

  /** A unit's tokens and one for its gap, unless the gap is a single space (which joins the next word's token). */
  private static int cost(Unit unit) {
    String gap = unit.gapAfter();
    return unit.tokens() + (gap.isEmpty() || gap.equals(" ") ? 0 : 1);
  }
}
