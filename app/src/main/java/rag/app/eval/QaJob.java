package rag.app.eval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import rag.app.eval.EvalViews.QaResult;
import rag.eval.ProgressListener;
import rag.eval.qa.QaRun;
import rag.eval.report.EvalReport;
import rag.eval.report.ReportRenderer;
import rag.storage.model.SearchFilter;

/** Runs a {@link QaPlan} with the service's own search over the collection, then the result and its report. */
final class QaJob {
  private final QaPlan plan;
  private final EvalParts parts;

  QaJob(QaPlan plan, EvalParts parts) {
    this.plan = plan;
    this.parts = parts;
  }

  EvalOutcome run(String runId, Instant createdAt, ProgressListener progress) {
    QaRun run = new QaRun(parts.chunkSearch(), SearchFilter.collection(plan.collection()));
    int searches = plan.questions().size() * plan.retrievers().size();
    int packing = plan.questions().size() * plan.budgets().size();
    int total = searches + packing + (plan.endToEnd() ? plan.questions().size() : 0);
    QaRun.Result result = run.run(plan.questions(), plan.retrievers(), plan.k(),
        (done, t) -> progress.progress(done, total));
    if (!plan.budgets().isEmpty()) {
      result = run.withPacking(result, plan.questions(), parts.pipeline(), plan.profile(), plan.budgets(),
          (done, t) -> progress.progress(searches + done, total));
    }
    if (plan.endToEnd()) {
      result = run.withAnswers(result, plan.questions(), parts.pipeline(), parts.archive().reader(), plan.profile(),
          rag.eval.niah.NiahSettings.DEFAULT_FOUND_THRESHOLD,
          plan.judge() == null ? null : new rag.eval.probe.ModelJudge(plan.judge(), parts.modelClient()),
          (done, t) -> progress.progress(searches + packing + done, total));
    }
    QaResult view = new QaResult("qa", plan.collection(), plan.settings().questionSet(), plan.questions().size(),
        result.k(), result.metrics(), result.questions(), result.packing(), result.endToEnd());
    List<String> summary = new ArrayList<>();
    result.metrics().forEach((retriever, m) -> summary.add(String.format(Locale.ROOT, "%s %.3f", retriever,
        m.get("hits@5"))));
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("Run", runId + " (created " + createdAt + ")");
    settings.put("Collection", plan.collection());
    settings.put("Questions", plan.questions().size() + (plan.settings().questionSet() == null ? " sent inline"
        : " from question set " + plan.settings().questionSet()));
    settings.put("Retrievers", String.join(", ", plan.settings().retrievers()) + "; top " + plan.k()
        + " chunks per question, the service's own search");
    settings.put("Embedding model", parts.embedder().modelName());
    if (!plan.budgets().isEmpty()) {
      settings.put("Packing", "prompts packed in retrieve mode by profile " + plan.profile() + "'s planner at "
          + plan.budgets().size() + " budgets");
    }
    String html = new ReportRenderer().render(new EvalReport("Retrieval accuracy run " + runId + ": "
        + plan.collection(), settings, List.of(), List.of(), List.of(), List.of(result)));
    return new EvalOutcome(view, html, "hits@5: " + String.join(", ", summary));
  }
}
