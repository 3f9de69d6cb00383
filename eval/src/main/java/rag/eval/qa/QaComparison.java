package rag.eval.qa;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two retrieval-accuracy runs side by side: per retriever in both, each metric's value in the base run, in the other
 * run and the difference; per question in both, each retriever's rank of the expected passage in both and whether it
 * {@code regressed} (it left the top 5, or the top 10 when it was below 5 already), {@code improved} (the reverse) or
 * stayed the {@code same}.
 */
public record QaComparison(String base, String run, Map<String, Map<String, Delta>> metrics,
    List<QuestionChange> questions, int regressions, int improvements, List<String> onlyInBase,
    List<String> onlyInRun) {

  public record Delta(double base, double run, double delta) {}

  public record Change(String retriever, Integer baseRank, Integer runRank, String verdict) {}

  public record QuestionChange(String id, String question, List<Change> changes) {}

  public static QaComparison of(String baseId, QaRun.Result base, String runId, QaRun.Result run) {
    Map<String, Map<String, Delta>> metrics = new LinkedHashMap<>();
    base.metrics().forEach((retriever, values) -> {
      Map<String, Double> other = run.metrics().get(retriever);
      if (other != null) {
        Map<String, Delta> deltas = new LinkedHashMap<>();
        values.forEach((metric, v) -> {
          Double w = other.get(metric);
          if (w != null) {
            deltas.put(metric, new Delta(v, w, w - v));
          }
        });
        metrics.put(retriever, deltas);
      }
    });
    Map<String, QaRun.QuestionResult> runById = new LinkedHashMap<>();
    run.questions().forEach(q -> runById.put(q.id(), q));
    Set<String> baseIds = new LinkedHashSet<>();
    List<QuestionChange> questions = new ArrayList<>();
    int regressions = 0;
    int improvements = 0;
    for (QaRun.QuestionResult b : base.questions()) {
      baseIds.add(b.id());
      QaRun.QuestionResult r = runById.get(b.id());
      if (r == null) {
        continue;
      }
      List<Change> changes = new ArrayList<>();
      for (QaRun.Outcome bo : b.outcomes()) {
        QaRun.Outcome ro = r.outcomes().stream().filter(o -> o.retriever().equals(bo.retriever())).findFirst()
            .orElse(null);
        if (ro == null) {
          continue;
        }
        String verdict = verdict(bo.hitRank(), ro.hitRank());
        regressions += verdict.equals("regressed") ? 1 : 0;
        improvements += verdict.equals("improved") ? 1 : 0;
        changes.add(new Change(bo.retriever(), bo.hitRank(), ro.hitRank(), verdict));
      }
      questions.add(new QuestionChange(b.id(), b.question(), changes));
    }
    List<String> onlyInBase = base.questions().stream().map(QaRun.QuestionResult::id)
        .filter(id -> !runById.containsKey(id)).toList();
    List<String> onlyInRun = run.questions().stream().map(QaRun.QuestionResult::id)
        .filter(id -> !baseIds.contains(id)).toList();
    return new QaComparison(baseId, runId, metrics, questions, regressions, improvements, onlyInBase, onlyInRun);
  }

  static String verdict(Integer baseRank, Integer runRank) {
    boolean b5 = within(baseRank, 5);
    boolean r5 = within(runRank, 5);
    if (b5 != r5) {
      return b5 ? "regressed" : "improved";
    }
    boolean b10 = within(baseRank, 10);
    boolean r10 = within(runRank, 10);
    if (!b5 && b10 != r10) {
      return b10 ? "regressed" : "improved";
    }
    return "same";
  }

  private static boolean within(Integer rank, int n) {
    return rank != null && rank <= n;
  }
}
