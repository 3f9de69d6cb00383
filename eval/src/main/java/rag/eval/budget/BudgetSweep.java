package rag.eval.budget;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import rag.eval.ProgressListener;
import rag.eval.niah.AnswerScore;
import rag.eval.niah.AnswerScorer;
import rag.query.Answer;
import rag.query.GenerationFailedException;
import rag.query.QueryPipeline;
import rag.query.QueryRequest;
import rag.query.plan.Mode;
import rag.storage.model.SearchFilter;

/**
 * Asks every question at every retrieval budget against a profile's model (retrieve mode, chunks in document order)
 * and scores each answer against the expected one, so that an operator can see where accuracy peaks: OP-RAG found it
 * an inverted U over the budget. Budgets are asked in ascending order, each over all questions.
 */
public final class BudgetSweep {
  /** A question and the answer a correct reply contains. */
  public record Question(String question, String answer) {
    public Question {
      Objects.requireNonNull(question, "question");
      Objects.requireNonNull(answer, "answer");
    }
  }

  private final QueryPipeline pipeline;
  private final String profile;
  private final SearchFilter scope;
  private final double foundThreshold;
  private final AnswerScorer scorer = new AnswerScorer();

  /** @param foundThreshold the share of the expected answer's content words a reply needs to count as correct */
  public BudgetSweep(QueryPipeline pipeline, String profile, SearchFilter scope, double foundThreshold) {
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.profile = Objects.requireNonNull(profile, "profile");
    this.scope = Objects.requireNonNull(scope, "scope");
    this.foundThreshold = foundThreshold;
  }

  public BudgetSweepResult run(List<Long> budgets, List<Question> questions, ProgressListener progress) {
    List<Long> ascending = budgets.stream().sorted().distinct().toList();
    int total = ascending.size() * questions.size();
    int done = 0;
    List<List<BudgetSweepResult.Attempt>> perQuestion = new ArrayList<>();
    questions.forEach(q -> perQuestion.add(new ArrayList<>()));
    long started = System.nanoTime();
    for (long budget : ascending) {
      for (int i = 0; i < questions.size(); i++) {
        perQuestion.get(i).add(ask(questions.get(i), budget));
        progress.progress(++done, total);
      }
    }
    List<BudgetSweepResult.QuestionRow> rows = new ArrayList<>();
    for (int i = 0; i < questions.size(); i++) {
      rows.add(new BudgetSweepResult.QuestionRow(questions.get(i).question(), questions.get(i).answer(),
          perQuestion.get(i)));
    }
    return BudgetSweepResult.of(profile, ascending, rows, foundThreshold,
        (System.nanoTime() - started) / 1_000_000);
  }

  private BudgetSweepResult.Attempt ask(Question q, long budget) {
    long start = System.nanoTime();
    try {
      Answer answer = pipeline.answer(new QueryRequest(q.question(), scope, profile, Mode.RETRIEVE, null, null,
          budget), token -> { });
      AnswerScore score = scorer.score(answer.text(), q.answer());
      return new BudgetSweepResult.Attempt(budget, answer.text(), score.value(),
          score.exact() || score.value() >= foundThreshold, answer.plan().promptTokens(), answer.tokensSpent(),
          (System.nanoTime() - start) / 1_000_000, null);
    } catch (GenerationFailedException e) {
      return new BudgetSweepResult.Attempt(budget, null, 0, false, e.plan().promptTokens(), 0,
          (System.nanoTime() - start) / 1_000_000, "the model failed (" + e.modelFailure().kind() + "): "
              + e.getMessage());
    }
  }
}
