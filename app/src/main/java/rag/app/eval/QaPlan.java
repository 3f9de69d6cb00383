package rag.app.eval;

import java.util.List;
import rag.eval.qa.QaQuestion;
import rag.query.retrieve.RetrieverKind;

/** A validated retrieval-accuracy run over a collection; {@code settings} is the request with its defaults. */
public record QaPlan(QaRequest settings, String collection, List<QaQuestion> questions,
    List<RetrieverKind> retrievers, int k, String profile, List<Long> budgets, boolean endToEnd,
    rag.query.profile.ModelProfile judge) implements EvalPlan {
  public QaPlan {
    questions = List.copyOf(questions);
    retrievers = List.copyOf(retrievers);
    budgets = List.copyOf(budgets);
  }

  @Override
  public String kind() {
    return "qa";
  }
}
