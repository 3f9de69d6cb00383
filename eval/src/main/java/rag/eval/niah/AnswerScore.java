package rag.eval.niah;

/**
 * How well an answer matches an expected answer. {@code exact}: the expected answer's words appear in the answer in
 * order and next to each other (case, punctuation and spacing ignored). {@code partial}: the fraction of the
 * expected answer's content words that appear anywhere in the answer.
 */
public record AnswerScore(boolean exact, double partial) {
  /** 1 for an exact match, otherwise the partial score. */
  public double value() {
    return exact ? 1.0 : partial;
  }
}
