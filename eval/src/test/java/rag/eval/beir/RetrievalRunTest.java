package rag.eval.beir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import rag.eval.ProgressListener;
import rag.eval.metrics.ScoredDoc;

class RetrievalRunTest {
  private static final double EPS = 1e-9;
  private static final double LOG2_3 = Math.log(3) / Math.log(2);

  private final BeirDataset dataset = BeirLoader.load(BeirFixtures.tiny());

  @Test
  void termOverlapOnTheTinyFixtureGivesTheHandComputedMetrics() {
    TermOverlapRetriever retriever = new TermOverlapRetriever();
    List<int[]> progress = new ArrayList<>();
    RetrievalResult result = new RetrievalRun().run(dataset, retriever, (done, total) ->
        progress.add(new int[] {done, total}));

    // q1 "marine mammals": d1 and d3 tie at 2 -> d3 (grade 1), d1 (grade 2)
    double q1 = (1 + 2 / LOG2_3) / (2 + 1 / LOG2_3);
    // q2 "fish tuna cartilage": d2 and d4 tie at 2 -> d4 (unjudged), d2 (grade 1)
    double q2 = (1 / LOG2_3) / 1;
    // q3 "sharks whales": d1, d2, d5 tie at 1 -> d5 (1), d2 (0), d1 (1)
    double q3 = (1 + 1 / 2.0) / (1 + 1 / LOG2_3);
    // q5 "octopus": nothing retrieved
    assertThat(result.perQuery()).extracting(QueryRow::queryId).containsExactly("q1", "q2", "q3", "q5");
    assertThat(result.perQuery().get(0).metrics().get("ndcg@10")).isCloseTo(q1, within(EPS));
    assertThat(result.perQuery().get(1).metrics()).containsEntry("mrr@10", 0.5).containsEntry("recall@10", 1.0);
    assertThat(result.perQuery().get(1).metrics().get("ndcg@10")).isCloseTo(q2, within(EPS));
    assertThat(result.perQuery().get(2).metrics().get("ndcg@10")).isCloseTo(q3, within(EPS));
    assertThat(result.perQuery().get(3).metrics().values()).containsOnly(0.0);
    assertThat(result.perQuery()).extracting(QueryRow::retrieved).containsExactly(2, 2, 3, 0);

    assertThat(result.metrics().keySet()).containsExactly("ndcg@10", "recall@10", "recall@100", "mrr@10");
    assertThat(result.metrics().get("ndcg@10")).isCloseTo((q1 + q2 + q3) / 4, within(EPS))
        .isCloseTo(0.6025923106429606, within(EPS));
    assertThat(result.metrics().get("recall@10")).isCloseTo(0.75, within(EPS));
    assertThat(result.metrics().get("recall@100")).isCloseTo(0.75, within(EPS));
    assertThat(result.metrics().get("mrr@10")).isCloseTo((1 + 0.5 + 1 + 0) / 4, within(EPS));

    assertThat(result.retriever()).isEqualTo("term-overlap");
    assertThat(result.documents()).isEqualTo(5);
    assertThat(result.queries()).isEqualTo(4);
    assertThat(retriever.indexCalls).isEqualTo(1);
    assertThat(progress).extracting(p -> p[0] + "/" + p[1]).containsExactly("1/4", "2/4", "3/4", "4/4");
    RetrievalTimings timings = result.timings();
    assertThat(timings.latencyP50Millis()).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(timings.latencyP95Millis());
    assertThat(timings.totalMillis()).isGreaterThanOrEqualTo(timings.indexMillis());
  }

  @Test
  void runAllEvaluatesEachRetrieverAndCountsProgressOverAll() {
    RankedRetriever silent = new RankedRetriever() {
      @Override
      public String name() {
        return "silent";
      }

      @Override
      public void index(List<BeirDocument> corpus) {}

      @Override
      public List<ScoredDoc> search(String query, int k) {
        return List.of();
      }
    };
    List<String> progress = new ArrayList<>();
    List<RetrievalResult> results = new RetrievalRun().runAll(dataset, List.of(new TermOverlapRetriever(), silent),
        (done, total) -> progress.add(done + "/" + total));
    assertThat(results).extracting(RetrievalResult::retriever).containsExactly("term-overlap", "silent");
    assertThat(results.get(1).metrics()).isEqualTo(Map.of("ndcg@10", 0.0, "recall@10", 0.0, "recall@100", 0.0,
        "mrr@10", 0.0));
    assertThat(progress).containsExactly("1/8", "2/8", "3/8", "4/8", "5/8", "6/8", "7/8", "8/8");
  }

  @Test
  void theRetrieverIsAskedForTheDeepestCutoff() {
    List<Integer> asked = new ArrayList<>();
    TermOverlapRetriever inner = new TermOverlapRetriever();
    RankedRetriever recording = new RankedRetriever() {
      @Override
      public String name() {
        return "recording";
      }

      @Override
      public void index(List<BeirDocument> corpus) {
        inner.index(corpus);
      }

      @Override
      public List<ScoredDoc> search(String query, int k) {
        asked.add(k);
        return inner.search(query, k);
      }
    };
    new RetrievalRun().run(dataset, recording, ProgressListener.NONE);
    assertThat(asked).containsOnly(100).hasSize(4);
  }

  @Test
  void anInterruptedRunStopsBeforeTheNextQuery() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> new RetrievalRun().run(dataset, new TermOverlapRetriever(),
          ProgressListener.NONE)).isInstanceOf(CancellationException.class)
          .hasMessageContaining("after 0 of 4 queries");
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void percentilesUseTheNearestRank() {
    double[] values = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
    assertThat(RetrievalRun.percentile(values, 50)).isEqualTo(5);
    assertThat(RetrievalRun.percentile(values, 95)).isEqualTo(10);
    assertThat(RetrievalRun.percentile(new double[] {7}, 95)).isEqualTo(7);
    assertThat(RetrievalRun.percentile(new double[0], 50)).isZero();
  }
}
