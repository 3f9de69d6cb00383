package rag.app.eval;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rag.app.eval.EvalViews.DraftResult;
import rag.eval.ProgressListener;
import rag.eval.qa.QuestionDrafter;
import rag.eval.qa.QuestionSets;
import rag.eval.report.EvalReport;
import rag.eval.report.ReportRenderer;

/**
 * Runs a {@link DraftPlan}: the profile's model drafts the questions, and the set is stored with the collection under
 * its name (a run that drafts nothing, or finds the name taken by then, fails and stores nothing).
 */
final class DraftJob {
  private final DraftPlan plan;
  private final EvalParts parts;

  DraftJob(DraftPlan plan, EvalParts parts) {
    this.plan = plan;
    this.parts = parts;
  }

  EvalOutcome run(String runId, Instant createdAt, ProgressListener progress) {
    QuestionDrafter.Drafted drafted = new QuestionDrafter(parts.archive().reader(), parts.modelClient(),
        plan.profile()).draft(plan.collection(), plan.questions(), plan.seed(), progress);
    if (drafted.questions().isEmpty()) {
      throw new IllegalStateException("no question could be drafted from collection '" + plan.collection() + "' ("
          + drafted.documents() + " documents with chunks" + (drafted.skipped().isEmpty() ? ""
          : "; first skip: " + drafted.skipped().get(0)) + ")");
    }
    var sets = parts.archive().questionSets();
    if (sets.lines(plan.collection(), plan.name()).isPresent()) {
      throw new IllegalStateException("a question set named '" + plan.name() + "' was stored while drafting; the"
          + " drafted questions are in this run's result");
    }
    sets.put(plan.collection(), plan.name(), drafted.questions().size(),
        QuestionSets.toJsonLines(drafted.questions()));
    DraftResult view = new DraftResult("draft", plan.collection(), plan.name(), plan.profile().name(),
        drafted.questions(), drafted.skipped());
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("Run", runId + " (created " + createdAt + ")");
    settings.put("Collection", plan.collection());
    settings.put("Question set", plan.name() + " (stored with the collection; every question marked drafted)");
    settings.put("Model", plan.profile().name() + " (" + plan.profile().model() + ")");
    settings.put("Sample", plan.questions() + " questions asked for, seed " + plan.seed());
    String html = new ReportRenderer().render(new EvalReport("Drafted questions " + runId + ": " + plan.collection(),
        settings, List.of(), List.of(), List.of(), List.of(), List.of(drafted)));
    return new EvalOutcome(view, html, drafted.questions().size() + " questions drafted into set " + plan.name()
        + (drafted.skipped().isEmpty() ? "" : ", " + drafted.skipped().size() + " chunks skipped"));
  }
}
