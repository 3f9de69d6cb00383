package rag.app.eval;

import java.util.List;
import rag.eval.budget.BudgetSweep;
import rag.query.profile.ModelProfile;

/** A validated retrieval-budget sweep; {@code settings} is the request with every default filled in. */
public record BudgetPlan(BudgetRequest settings, String collection, ModelProfile profile, List<Long> budgets,
    List<BudgetSweep.Question> questions, double foundThreshold) implements EvalPlan {
  public BudgetPlan {
    budgets = List.copyOf(budgets);
    questions = List.copyOf(questions);
  }

  @Override
  public String kind() {
    return "budgets";
  }
}
