package rag.eval.beir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import rag.eval.ProgressListener;
import rag.eval.metrics.Metric;
import rag.eval.metrics.ScoredDoc;

/**
 * Evaluates retrievers on a BEIR dataset: indexes the corpus (timed), searches every evaluated query for the top
 * {@link #depth()} ({@value #DEPTH} unless told; timed one by one), and measures each query with
 * {@link Metric#standard}. A query with no results scores 0. Progress counts queries over all retrievers of the call. An interrupted thread stops the run with a
 * {@link CancellationException} before the next query.
 */
public final class RetrievalRun {
  /** How many results each query asks for by default: the deepest metric, recall@100. */
  public static final int DEPTH = 100;

  private final int depth;

  public RetrievalRun() {
    this(DEPTH);
  }

  /** A run that asks each query for {@code depth} results (recall@100 reads at most the first 100). */
  public RetrievalRun(int depth) {
    if (depth < 1 || depth > 10_000) {
      throw new IllegalArgumentException("illegal depth " + depth + ", must be in 1..10000");
    }
    this.depth = depth;
  }

  public int depth() {
    return depth;
  }

  public RetrievalResult run(BeirDataset dataset, RankedRetriever retriever, ProgressListener progress) {
    return run(dataset, retriever, progress, 0, dataset.queries().size());
  }

  public List<RetrievalResult> runAll(BeirDataset dataset, List<RankedRetriever> retrievers,
      ProgressListener progress) {
    List<RetrievalResult> results = new ArrayList<>();
    int total = dataset.queries().size() * retrievers.size();
    for (RankedRetriever retriever : retrievers) {
      results.add(run(dataset, retriever, progress, results.size() * dataset.queries().size(), total));
    }
    return results;
  }

  private RetrievalResult run(BeirDataset dataset, RankedRetriever retriever, ProgressListener progress, int done,
      int total) {
    long start = System.nanoTime();
    retriever.index(dataset.corpus());
    long indexMillis = (System.nanoTime() - start) / 1_000_000;
    List<QueryRow> rows = new ArrayList<>();
    double[] latencies = new double[dataset.queries().size()];
    for (BeirQuery query : dataset.queries()) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CancellationException("retrieval run of " + retriever.name() + " interrupted after " + rows.size()
            + " of " + dataset.queries().size() + " queries");
      }
      long t0 = System.nanoTime();
      List<ScoredDoc> results = retriever.search(query.text(), depth);
      double millis = (System.nanoTime() - t0) / 1e6;
      latencies[rows.size()] = millis;
      rows.add(new QueryRow(query.id(), Metric.standard(results, dataset.qrels().judgments(query.id())),
          results.size(), millis));
      progress.progress(done + rows.size(), total);
    }
    RetrievalTimings timings = new RetrievalTimings(indexMillis, percentile(latencies, 50), percentile(latencies, 95),
        Arrays.stream(latencies).average().orElse(0), (System.nanoTime() - start) / 1_000_000);
    return new RetrievalResult(dataset.name(), dataset.split(), retriever.name(), dataset.corpus().size(),
        rows.size(), means(rows), rows, timings);
  }

  private static Map<String, Double> means(List<QueryRow> rows) {
    Map<String, Double> means = new LinkedHashMap<>();
    for (Metric metric : Metric.STANDARD) {
      means.put(metric.label(), rows.stream().mapToDouble(r -> r.metrics().get(metric.label())).average().orElse(0));
    }
    return means;
  }

  /** Nearest-rank percentile: the smallest value with at least {@code p} percent of the values at or below it. */
  static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
