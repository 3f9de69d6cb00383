package rag.eval.budget;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A budget sweep: per budget, the mean score and the share answered correctly, with the prompt tokens and the tokens
 * spent per answer; per question, each budget's answer. {@code best} is the budget with the highest mean score (the
 * smallest of equals: it costs least).
 */
public record BudgetSweepResult(String profile, double foundThreshold, List<Point> points, long best,
    List<QuestionRow> questions, long totalMillis) {

  /** One budget over all questions. */
  public record Point(long budget, int questions, double meanScore, double correctRate, double meanPromptTokens,
      double meanTokensSpent, double meanLatencyMillis, int failures) {}

  /** One answer: its score, whether it counts as correct, what it cost; {@code error} when the model failed. */
  public record Attempt(long budget, String answer, double score, boolean correct, long promptTokens,
      long tokensSpent, long latencyMillis, String error) {}

  public record QuestionRow(String question, String expected, List<Attempt> attempts) {
    public QuestionRow {
      attempts = List.copyOf(attempts);
    }
  }

  public BudgetSweepResult {
    points = List.copyOf(points);
    questions = List.copyOf(questions);
  }

  static BudgetSweepResult of(String profile, List<Long> budgets, List<QuestionRow> rows, double foundThreshold,
      long totalMillis) {
    List<Point> points = new ArrayList<>();
    for (int b = 0; b < budgets.size(); b++) {
      int index = b;
      List<Attempt> at = rows.stream().map(r -> r.attempts().get(index)).toList();
      points.add(new Point(budgets.get(b), at.size(), at.stream().mapToDouble(Attempt::score).average().orElse(0),
          at.stream().filter(Attempt::correct).count() / (double) Math.max(1, at.size()),
          at.stream().mapToLong(Attempt::promptTokens).average().orElse(0),
          at.stream().mapToLong(Attempt::tokensSpent).average().orElse(0),
          at.stream().mapToLong(Attempt::latencyMillis).average().orElse(0),
          (int) at.stream().filter(a -> a.error() != null).count()));
    }
    long best = points.stream().max(Comparator.comparingDouble(Point::meanScore)
        .thenComparing(Comparator.comparingLong(Point::budget).reversed())).map(Point::budget).orElse(0L);
    return new BudgetSweepResult(profile, foundThreshold, points, best, rows, totalMillis);
  }
}
