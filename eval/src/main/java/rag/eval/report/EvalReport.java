package rag.eval.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import rag.eval.budget.BudgetSweepResult;
import rag.eval.beir.RetrievalResult;
import rag.eval.niah.NiahResult;
import rag.eval.qa.QaRun;
import rag.eval.qa.QuestionDrafter;

/**
 * What one report shows: a title, free-form run settings in display order (model, profile, commit, machine, ...),
 * and any number of NIAH, retrieval, retrieval-budget and collection retrieval-accuracy results, and drafted question
 * sets.
 */
public record EvalReport(String title, Map<String, String> settings, List<NiahResult> niah,
    List<RetrievalResult> retrieval, List<BudgetSweepResult> budgets, List<QaRun.Result> qa,
    List<QuestionDrafter.Drafted> drafts) {
  public EvalReport(String title, Map<String, String> settings, List<NiahResult> niah,
      List<RetrievalResult> retrieval, List<BudgetSweepResult> budgets, List<QaRun.Result> qa) {
    this(title, settings, niah, retrieval, budgets, qa, List.of());
  }

  public EvalReport(String title, Map<String, String> settings, List<NiahResult> niah,
      List<RetrievalResult> retrieval) {
    this(title, settings, niah, retrieval, List.of(), List.of());
  }

  public EvalReport(String title, Map<String, String> settings, List<NiahResult> niah,
      List<RetrievalResult> retrieval, List<BudgetSweepResult> budgets) {
    this(title, settings, niah, retrieval, budgets, List.of());
  }

  public EvalReport {
    Objects.requireNonNull(title, "title");
    settings = settings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    niah = niah == null ? List.of() : List.copyOf(niah);
    retrieval = retrieval == null ? List.of() : List.copyOf(retrieval);
    budgets = budgets == null ? List.of() : List.copyOf(budgets);
    qa = qa == null ? List.of() : List.copyOf(qa);
    drafts = drafts == null ? List.of() : List.copyOf(drafts);
  }
}
