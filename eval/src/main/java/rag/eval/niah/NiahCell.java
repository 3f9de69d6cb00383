package rag.eval.niah;

/**
 * The outcome of one grid cell. {@code score} is the mean over the target needles of {@link AnswerScore#value()}
 * (or the probe's own score when it judged the cell itself); {@code found} is true when every target scored exact
 * or at least the run's found threshold (or the probe found them); {@code rank} is the rank the probe reported (null
 * when it found nothing or does not rank); {@code detail} is what the probe measured, in words (null when it said
 * nothing).
 */
public record NiahCell(int contextLength, double depthPercent, boolean found, Integer rank, double score,
    String detail) {
  public NiahCell(int contextLength, double depthPercent, boolean found, Integer rank, double score) {
    this(contextLength, depthPercent, found, rank, score, null);
  }
}
