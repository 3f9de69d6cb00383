package rag.eval.niah;

import java.util.Objects;

/**
 * What a probe produced for one cell: the answer text (a model's answer, or the retrieved passages for a
 * retrieval-only mode; empty when nothing came back) and the 1-based rank at which the retrieval found the target
 * needles (for several targets, the rank by which all were found), or null when it did not find them or the mode
 * does not rank.
 */
public record ProbeResult(String answer, Integer rank) {
  public ProbeResult {
    Objects.requireNonNull(answer, "answer");
    if (rank != null && rank < 1) {
      throw new IllegalArgumentException("illegal rank " + rank + ", ranks start at 1");
    }
  }
}
