package rag.eval.niah;

/**
 * One way of asking a haystack a question (stuffing it into a model, retrieving from it, ...), implemented by the
 * modes that are evaluated. A run calls {@link #prepare} once per context length with the haystack before any
 * needle, then {@link #probe} once per depth with that haystack plus needles; a probe that indexes can index the
 * base haystack in {@code prepare} and re-index only {@link PlacedHaystack#changedSegments()} in {@code probe}
 * (restoring them afterwards). Calls come from one thread, in that order.
 */
public interface NeedleProbe {
  /** Called once per context length before its probes. Does nothing unless the probe keeps state per haystack. */
  default void prepare(Haystack haystack) {}

  ProbeResult probe(PlacedHaystack haystack, String question);
}
