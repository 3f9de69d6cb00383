package rag.eval.niah;

/**
 * The outcome of one grid cell. {@code score} is the mean over the target needles of {@link AnswerScore#value()};
 * {@code found} is true when every target scored exact or at least the run's found threshold; {@code rank} is the
 * rank the probe reported (null when it found nothing or does not rank).
 */
public record NiahCell(int contextLength, double depthPercent, boolean found, Integer rank, double score) {}
