package rag.eval.metrics;

import java.util.List;
import java.util.Map;

/**
 * trec_eval's definitions over a ranked list of document ids (already in {@link TrecOrder}) and one query's
 * judgments (document id to relevance grade). A document missing from the judgments is not relevant; a judgment
 * with grade 0 or below is not relevant and adds no gain.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  /** trec_eval {@code recall.k}: relevant documents in the top k over all relevant documents; 0 when none are. */
  public static double recall(List<String> ranked, Map<String, Integer> judgments, int k) {
    long relevant = judgments.values().stream().filter(g -> g > 0).count();
    if (relevant == 0) {
      return 0;
    }
    long found = ranked.stream().limit(k).filter(id -> grade(judgments, id) > 0).count();
    return (double) found / relevant;
  }

  /** Reciprocal rank of the first relevant document within the top k (MRR@k as BEIR computes it); 0 if none. */
  public static double reciprocalRank(List<String> ranked, Map<String, Integer> judgments, int k) {
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      if (grade(judgments, ranked.get(i)) > 0) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }

  /**
   * trec_eval {@code ndcg_cut.k}: DCG of the top k (gain = grade, discount log2(rank + 1)) over the DCG of the ideal
   * ranking, the judged grades above 0 sorted descending and cut at k; 0 when nothing is relevant.
   */
  public static double ndcg(List<String> ranked, Map<String, Integer> judgments, int k) {
    double dcg = 0;
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      int gain = grade(judgments, ranked.get(i));
      if (gain > 0) {
        dcg += gain / log2(i + 2);
      }
    }
    List<Integer> ideal = judgments.values().stream().filter(g -> g > 0)
        .sorted((a, b) -> Integer.compare(b, a)).limit(k).toList();
    double idcg = 0;
    for (int i = 0; i < ideal.size(); i++) {
      idcg += ideal.get(i) / log2(i + 2);
    }
    return idcg == 0 ? 0 : dcg / idcg;
  }

  private static int grade(Map<String, Integer> judgments, String id) {
    return judgments.getOrDefault(id, 0);
  }

  private static double log2(int x) {
    return Math.log(x) / Math.log(2);
  }
}
