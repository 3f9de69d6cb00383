package rag.eval.niah;

import java.util.Objects;

/**
 * What a probe produced for one cell: the answer text (a model's answer, or the retrieved passages for a
 * retrieval-only mode; empty when nothing came back) and the 1-based rank at which the retrieval found the target
 * needles (for several targets, the rank by which all were found), or null when it did not find them or the mode
 * does not rank.
 *
 * <p>A probe that checks the needles itself (is each needle's text inside the packed context? does the prompt hold
 * it at the intended depth?) also gives its verdict: {@code found}, {@code score} in [0, 1] and a short
 * {@code detail} for the report. Without a verdict ({@code found} null) the run scores {@code answer} against the
 * needles' expected answers.
 */
public record ProbeResult(String answer, Integer rank, Boolean found, Double score, String detail) {
  public ProbeResult {
    Objects.requireNonNull(answer, "answer");
    if (rank != null && rank < 1) {
      throw new IllegalArgumentException("illegal rank " + rank + ", ranks start at 1");
    }
    if ((found == null) != (score == null)) {
      throw new IllegalArgumentException("a verdict needs both found and score, got found " + found + ", score "
          + score);
    }
    if (score != null && !(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("illegal score " + score + ", must be in [0, 1]");
    }
  }

  /** An answer for the run to score, with no verdict of the probe's own. */
  public ProbeResult(String answer, Integer rank) {
    this(answer, rank, null, null, null);
  }

  /** The probe's own verdict; {@code detail} says what it measured. */
  public static ProbeResult judged(boolean found, double score, Integer rank, String detail) {
    return new ProbeResult("", rank, found, score, detail);
  }

  public boolean hasVerdict() {
    return found != null;
  }
}
