package rag.eval.niah;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import rag.eval.ProgressListener;

/**
 * Walks a NIAH grid: for each context length it builds the haystack once (shortened by the needles' tokens, so
 * haystack plus needles come to the context length), hands it to {@link NeedleProbe#prepare}, then for each depth
 * places the needles, probes, and scores the answer against every target needle (unless the probe judged the cell
 * itself, see {@link ProbeResult#hasVerdict()}). With a judge ({@link AnswerJudge}) the judge's grade is the score and a
 * target counts as found on an exact match or a grade at the found threshold; without one the word-matching score
 * decides ({@link AnswerScorer}). Progress is reported after each cell. An interrupted thread stops
 * the run with a {@link CancellationException} before the next cell.
 */
public final class NiahRun {
  private final HaystackBuilder builder;
  private final NeedleProbe probe;
  private final NeedlePlacer placer;
  private final AnswerScorer scorer = new AnswerScorer();
  private final AnswerJudge judge;

  public NiahRun(HaystackBuilder builder, NeedleProbe probe) {
    this(builder, probe, null);
  }

  /** @param judge grades answers, or null to score them by word matching alone */
  public NiahRun(HaystackBuilder builder, NeedleProbe probe, AnswerJudge judge) {
    this.builder = Objects.requireNonNull(builder, "builder");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.placer = new NeedlePlacer(builder.counter());
    this.judge = judge;
  }

  /** Tokens the needles add to a haystack: each needle's count plus one for the space that sets it off. */
  public int needleTokens(NeedleSet needles) {
    return needles.needles().stream().mapToInt(n -> builder.counter().count(n.text()) + 1).sum();
  }

  public NiahResult run(NiahSettings settings, ProgressListener progress) {
    long start = System.nanoTime();
    long buildNanos = 0;
    long probeNanos = 0;
    NiahGrid grid = settings.grid();
    int needleTokens = needleTokens(settings.needles());
    List<NiahCell> cells = new ArrayList<>();
    for (int length : grid.contextLengths()) {
      if (length <= needleTokens) {
        throw new IllegalArgumentException("context length " + length + " leaves no room for the haystack: the "
            + "needles take " + needleTokens + " tokens");
      }
      long t0 = System.nanoTime();
      Haystack haystack = builder.build(length - needleTokens);
      long t1 = System.nanoTime();
      probe.prepare(haystack);
      buildNanos += t1 - t0;
      probeNanos += System.nanoTime() - t1;
      for (double depth : grid.depthPercents()) {
        if (Thread.currentThread().isInterrupted()) {
          throw new CancellationException("NIAH run interrupted after " + cells.size() + " of " + grid.size()
              + " cells");
        }
        PlacedHaystack placed = placer.place(haystack, settings.needles(), depth);
        long t2 = System.nanoTime();
        ProbeResult result = probe.probe(placed, settings.needles().question());
        probeNanos += System.nanoTime() - t2;
        cells.add(cell(length, depth, result, settings));
        progress.progress(cells.size(), grid.size());
      }
    }
    NiahTimings timings = new NiahTimings(buildNanos / 1_000_000, probeNanos / 1_000_000,
        (System.nanoTime() - start) / 1_000_000);
    return new NiahResult(settings, builder.name(), builder.counter().name(), cells, NiahSummary.of(cells), timings);
  }

  private NiahCell cell(int length, double depth, ProbeResult result, NiahSettings settings) {
    if (result.hasVerdict()) {
      return new NiahCell(length, depth, result.found(), result.rank(), result.score(), result.detail());
    }
    double total = 0;
    boolean allFound = true;
    List<Needle> targets = settings.needles().targets();
    StringBuilder grades = new StringBuilder();
    for (Needle target : targets) {
      AnswerScore score = scorer.score(result.answer(), target.answer());
      if (judge == null) {
        total += score.value();
        allFound &= score.exact() || score.partial() >= settings.foundThreshold();
        continue;
      }
      AnswerJudge.Grade grade = judge.grade(settings.needles().question(), target.answer(), result.answer());
      total += grade.score();
      allFound &= score.exact() || grade.score() >= settings.foundThreshold();
      grades.append(grades.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT,
          "judge %.1f (%s), word match %.2f", grade.score(), grade.reason(), score.partial()));
    }
    String detail = judge == null ? result.detail()
        : (result.detail() == null ? "" : result.detail() + "; ") + grades;
    return new NiahCell(length, depth, allFound, result.rank(), total / targets.size(), detail);
  }
}
