package rag.app.eval;

/**
 * What a run may ask for: the longest NIAH context length, the most grid cells, and the size in tokens of the
 * documents a haystack is indexed as (from {@code rag.eval.*}).
 */
public record EvalLimits(int maxContextLength, int maxGridCells, int documentTokens) {
  /** The shortest context length: room for the needles and a few sentences of haystack. */
  public static final int MIN_CONTEXT_LENGTH = 256;
}
