package rag.eval.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The retrieval metrics a run reports, by the names used in results and reports. */
public enum Metric {
  NDCG_AT_10("ndcg@10"),
  RECALL_AT_10("recall@10"),
  RECALL_AT_100("recall@100"),
  MRR_AT_10("mrr@10");

  /** The order results and reports list them in. */
  public static final List<Metric> STANDARD = List.of(NDCG_AT_10, RECALL_AT_10, RECALL_AT_100, MRR_AT_10);

  private final String label;

  Metric(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The deepest rank this metric reads, so a retriever can be asked for just that many results. */
  public int depth() {
    return this == RECALL_AT_100 ? 100 : 10;
  }

  /** Measures one query's results (in any order: they are put in {@link TrecOrder} first). */
  public double compute(List<ScoredDoc> results, Map<String, Integer> judgments) {
    return onRanked(TrecOrder.rankedIds(results), judgments);
  }

  /** Measures a list of ids already in {@link TrecOrder}. */
  public double onRanked(List<String> ranked, Map<String, Integer> judgments) {
    return switch (this) {
      case NDCG_AT_10 -> RankingMetrics.ndcg(ranked, judgments, 10);
      case RECALL_AT_10 -> RankingMetrics.recall(ranked, judgments, 10);
      case RECALL_AT_100 -> RankingMetrics.recall(ranked, judgments, 100);
      case MRR_AT_10 -> RankingMetrics.reciprocalRank(ranked, judgments, 10);
    };
  }

  /** All {@link #STANDARD} metrics for one query's results, keyed by label, in that order. */
  public static Map<String, Double> standard(List<ScoredDoc> results, Map<String, Integer> judgments) {
    List<String> ranked = TrecOrder.rankedIds(results);
    Map<String, Double> values = new LinkedHashMap<>();
    for (Metric metric : STANDARD) {
      values.put(metric.label(), metric.onRanked(ranked, judgments));
    }
    return values;
  }
}
