package rag.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
  private static final double EPS = 1e-9;

  // d1 grade 2, d2 and d5 grade 1 (three relevant), d3 judged not relevant; d4 is not judged at all.
  private static final Map<String, Integer> JUDGMENTS = Map.of("d1", 2, "d2", 1, "d3", 0, "d5", 1);
  // d1 and d4 tie at 4.0: trec_eval puts the larger id first, so the ranking is d3, d4, d1, d2.
  private static final List<ScoredDoc> RESULTS = List.of(new ScoredDoc("d3", 5.0), new ScoredDoc("d1", 4.0),
      new ScoredDoc("d4", 4.0), new ScoredDoc("d2", 3.0));

  @Test
  void tiesAreBrokenByDocumentIdDescendingWhateverTheRetrieverOrder() {
    assertThat(TrecOrder.rankedIds(RESULTS)).containsExactly("d3", "d4", "d1", "d2");
    assertThat(TrecOrder.rankedIds(List.of(RESULTS.get(3), RESULTS.get(2), RESULTS.get(1), RESULTS.get(0))))
        .containsExactly("d3", "d4", "d1", "d2");
  }

  @Test
  void recallCountsRelevantInTheTopKOverAllRelevant() {
    assertThat(Metric.RECALL_AT_10.compute(RESULTS, JUDGMENTS)).isCloseTo(2.0 / 3, within(EPS));
    // top 3 = d3, d4, d1: one of three relevant
    assertThat(RankingMetrics.recall(TrecOrder.rankedIds(RESULTS), JUDGMENTS, 3)).isCloseTo(1.0 / 3, within(EPS));
    assertThat(RankingMetrics.recall(TrecOrder.rankedIds(RESULTS), JUDGMENTS, 2)).isZero();
  }

  @Test
  void reciprocalRankUsesTheTieBrokenOrder() {
    // first relevant document is d1 at rank 3 (rank 2 if ties kept the retriever's order)
    assertThat(Metric.MRR_AT_10.compute(RESULTS, JUDGMENTS)).isCloseTo(1.0 / 3, within(EPS));
  }

  @Test
  void ndcgUsesGradesAsGainsAndTheIdealFromTheJudgments() {
    // DCG = 0/log2(2) + 0/log2(3) + 2/log2(4) + 1/log2(5) = 1 + 0.430677 = 1.430677
    // IDCG over grades 2, 1, 1 = 2/log2(2) + 1/log2(3) + 1/log2(4) = 3.130930
    assertThat(Metric.NDCG_AT_10.compute(RESULTS, JUDGMENTS)).isCloseTo(0.4569494273838043, within(EPS));
  }

  @Test
  void aPerfectGradedRankingScoresOne() {
    List<ScoredDoc> ideal = List.of(new ScoredDoc("d1", 3), new ScoredDoc("d2", 2), new ScoredDoc("d5", 1));
    assertThat(Metric.standard(ideal, JUDGMENTS)).containsExactly(Map.entry("ndcg@10", 1.0),
        Map.entry("recall@10", 1.0), Map.entry("recall@100", 1.0), Map.entry("mrr@10", 1.0));
  }

  @Test
  void negativeAndZeroGradesAndUnjudgedDocumentsAreNotRelevant() {
    Map<String, Integer> judgments = Map.of("a", -1, "b", 0, "c", 1);
    List<ScoredDoc> results = List.of(new ScoredDoc("a", 3), new ScoredDoc("b", 2), new ScoredDoc("x", 1.5),
        new ScoredDoc("c", 1));
    assertThat(Metric.MRR_AT_10.compute(results, judgments)).isCloseTo(0.25, within(EPS));
    assertThat(Metric.NDCG_AT_10.compute(results, judgments)).isCloseTo(1 / (Math.log(5) / Math.log(2)), within(EPS));
    assertThat(Metric.RECALL_AT_10.compute(results, judgments)).isEqualTo(1.0);
  }

  @Test
  void cutoffsLeaveOutDocumentsBelowTheCut() {
    // the only relevant document at rank 11: outside nDCG@10, MRR@10 and recall@10, inside recall@100
    List<ScoredDoc> results = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      results.add(new ScoredDoc("n" + i, 100 - i));
    }
    results.add(new ScoredDoc("hit", 1));
    Map<String, Integer> judgments = Map.of("hit", 1);
    assertThat(Metric.standard(results, judgments)).containsExactly(Map.entry("ndcg@10", 0.0),
        Map.entry("recall@10", 0.0), Map.entry("recall@100", 1.0), Map.entry("mrr@10", 0.0));
  }

  @Test
  void noResultsOrNoRelevantJudgmentsScoreZero() {
    assertThat(Metric.standard(List.of(), JUDGMENTS).values()).containsOnly(0.0);
    assertThat(Metric.standard(RESULTS, Map.of("d3", 0)).values()).containsOnly(0.0);
  }

  @Test
  void aDocumentNamedTwiceCountsOnceAtItsBestScore() {
    List<ScoredDoc> results = List.of(new ScoredDoc("x", 1), new ScoredDoc("d1", 0.5), new ScoredDoc("d1", 2));
    assertThat(TrecOrder.rankedIds(results)).containsExactly("d1", "x");
    assertThat(Metric.RECALL_AT_10.compute(results, JUDGMENTS)).isCloseTo(1.0 / 3, within(EPS));
  }
}
