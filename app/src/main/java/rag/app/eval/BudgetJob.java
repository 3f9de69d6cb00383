package rag.app.eval;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import rag.app.eval.EvalViews.BudgetResult;
import rag.app.eval.EvalViews.ProfileView;
import rag.eval.ProgressListener;
import rag.eval.budget.BudgetSweep;
import rag.eval.budget.BudgetSweepResult;
import rag.eval.report.EvalReport;
import rag.eval.report.ReportRenderer;
import rag.query.profile.ModelProfile;
import rag.storage.model.SearchFilter;

/** Runs a {@link BudgetPlan} through the service's own query pipeline: the sweep, then the result and its report. */
final class BudgetJob {
  private final BudgetPlan plan;
  private final EvalParts parts;

  BudgetJob(BudgetPlan plan, EvalParts parts) {
    this.plan = plan;
    this.parts = parts;
  }

  EvalOutcome run(String runId, Instant createdAt, ProgressListener progress) {
    ModelProfile profile = plan.profile();
    BudgetSweepResult result = new BudgetSweep(parts.pipeline(), profile.name(),
        SearchFilter.collection(plan.collection()), plan.foundThreshold())
        .run(plan.budgets(), plan.questions(), progress);
    BudgetResult view = new BudgetResult("budgets", plan.collection(), ProfileView.of(profile), result.best(),
        result.foundThreshold(), result.points(), result.questions(), result.totalMillis());
    BudgetSweepResult.Point best = result.points().stream().filter(p -> p.budget() == result.best()).findFirst()
        .orElseThrow();
    String summary = String.format(Locale.ROOT, "best at %,d tokens: mean score %.3f, %.0f%% correct, %,.0f tokens"
        + " per answer", best.budget(), best.meanScore(), 100 * best.correctRate(), best.meanTokensSpent());
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("Run", runId + " (created " + createdAt + ")");
    settings.put("Collection", plan.collection());
    settings.put("Profile", String.format(Locale.ROOT, "%s: %s at %s, window %,d tokens, answer reserve %,d",
        profile.name(), profile.model(), profile.baseUrl(), profile.contextWindow(), profile.answerReserve()));
    settings.put("Questions", plan.questions().size() + ", each asked at " + plan.budgets().size()
        + " budgets in retrieve mode (chunks in document order)");
    settings.put("Timings", String.format(Locale.ROOT, "%,d ms in all", result.totalMillis()));
    String html = new ReportRenderer().render(new EvalReport("Retrieval budgets run " + runId + ": "
        + plan.collection(), settings, List.of(), List.of(), List.of(result)));
    return new EvalOutcome(view, html, summary);
  }
}
