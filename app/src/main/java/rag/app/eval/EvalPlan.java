package rag.app.eval;

/**
 * A validated evaluation, ready to run: {@link NiahPlan} or {@link RetrievalPlan}. {@link #settings()} is the request
 * with every default filled in, as kept in the run's {@code settings.json}.
 */
public sealed interface EvalPlan permits NiahPlan, RetrievalPlan, BudgetPlan, QaPlan,
    DraftPlan {
  /** {@code niah}, {@code retrieval}, {@code budgets}, {@code qa} or {@code draft}. */
  String kind();

  Object settings();
}
