package rag.eval.report;

import static rag.eval.report.Html.escape;

import java.util.List;
import java.util.Locale;
import rag.eval.budget.BudgetSweepResult;
import rag.eval.budget.BudgetSweepResult.Attempt;
import rag.eval.budget.BudgetSweepResult.Point;

/**
 * A retrieval-budget sweep: a chart of mean score and correct answers over the budget (log scale, an inline SVG, each
 * point with {@code data-budget} and {@code data-score}), the table of every budget with its tokens per answer, and
 * each question's answers per budget.
 */
final class BudgetSection {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 300;
  private static final int LEFT = 50;
  private static final int RIGHT = 20;
  private static final int TOP = 20;
  private static final int BOTTOM = 50;

  private BudgetSection() {}

  static void render(StringBuilder html, BudgetSweepResult result, int number) {
    html.append("<section class=\"budgets\" id=\"budgets-").append(number).append("\">\n<h2>Retrieval budgets ")
        .append(number).append(": ").append(escape(result.profile())).append("</h2>\n");
    html.append("<p>Best mean score at <strong data-best=\"").append(result.best()).append("\">")
        .append(Html.tokens(result.best())).append(" tokens</strong>. An answer is correct when it holds the expected"
            + " answer or at least ").append(Html.percent(result.foundThreshold()))
        .append(" of its content words.</p>\n");
    chart(html, result.points(), result.best());
    html.append("<table class=\"budget-table\">\n<thead><tr><th>Budget</th><th>Questions</th><th>Mean score</th>"
        + "<th>Correct</th><th>Prompt tokens per answer</th><th>Tokens spent per answer</th>"
        + "<th>Latency per answer</th><th>Model failures</th></tr></thead>\n<tbody>\n");
    for (Point p : result.points()) {
      html.append("<tr data-budget=\"").append(p.budget()).append("\"><td>").append(Html.tokens(p.budget()))
          .append("</td><td>").append(p.questions()).append("</td><td>").append(Html.fixed(p.meanScore(), 3))
          .append("</td><td>").append(Html.percent(p.correctRate())).append("</td><td>")
          .append(Html.fixed(p.meanPromptTokens(), 0)).append("</td><td>").append(Html.fixed(p.meanTokensSpent(), 0))
          .append("</td><td>").append(Html.fixed(p.meanLatencyMillis(), 0)).append(" ms</td><td>")
          .append(p.failures()).append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n<details><summary>Answers per question</summary>\n");
    for (BudgetSweepResult.QuestionRow row : result.questions()) {
      html.append("<h3>").append(escape(row.question())).append("</h3>\n<p>Expected: ").append(escape(row.expected()))
          .append("</p>\n<table class=\"answers\">\n<tr><th>Budget</th><th>Score</th><th>Prompt tokens</th>"
              + "<th>Answer</th></tr>\n");
      for (Attempt a : row.attempts()) {
        html.append("<tr><td>").append(Html.tokens(a.budget())).append("</td><td>").append(Html.fixed(a.score(), 2))
            .append(a.correct() ? " ✓" : "").append("</td><td>").append(a.promptTokens())
            .append("</td><td style=\"text-align:left\">")
            .append(escape(a.error() != null ? a.error() : a.answer())).append("</td></tr>\n");
      }
      html.append("</table>\n");
    }
    html.append("</details>\n</section>\n");
  }

  /** Mean score (solid) and correct share (dashed) over log2 budget, both on 0..1. */
  private static void chart(StringBuilder html, List<Point> points, long best) {
    double minX = Math.log(points.get(0).budget()) / Math.log(2);
    double maxX = Math.log(points.get(points.size() - 1).budget()) / Math.log(2);
    double span = Math.max(1e-9, maxX - minX);
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    html.append("<svg class=\"budget-chart\" role=\"img\" aria-label=\"Mean score and correct answers over the"
        + " retrieval budget\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">\n");
    for (int tick = 0; tick <= 4; tick++) {
      double y = TOP + plotH - plotH * tick / 4.0;
      html.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>%n", LEFT, y, WIDTH - RIGHT, y, LEFT - 6, y + 4,
          tick / 4.0));
    }
    StringBuilder scoreLine = new StringBuilder();
    StringBuilder correctLine = new StringBuilder();
    for (Point p : points) {
      double x = points.size() == 1 ? LEFT + plotW / 2.0
          : LEFT + plotW * (Math.log(p.budget()) / Math.log(2) - minX) / span;
      double ys = TOP + plotH * (1 - p.meanScore());
      double yc = TOP + plotH * (1 - p.correctRate());
      scoreLine.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, ys));
      correctLine.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, yc));
      html.append(String.format(Locale.ROOT, "<circle class=\"point\" data-budget=\"%d\" data-score=\"%s\""
          + " data-correct=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\"><title>%s tokens: mean score %.3f,"
          + " %s correct, %.0f tokens per answer</title></circle>%n", p.budget(), p.meanScore(), p.correctRate(), x,
          ys, p.budget() == best ? 6 : 4, p.budget() == best ? "#c0392b" : "#2c6fbb", Html.tokens(p.budget()),
          p.meanScore(), Html.percent(p.correctRate()), p.meanTokensSpent()));
      html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x,
          HEIGHT - BOTTOM + 16, Html.tokens(p.budget())));
    }
    html.append("<polyline fill=\"none\" stroke=\"#2c6fbb\" stroke-width=\"2\" points=\"").append(scoreLine.toString()
        .strip()).append("\"/>\n<polyline fill=\"none\" stroke=\"#888\" stroke-dasharray=\"4 3\" points=\"")
        .append(correctLine.toString().strip()).append("\"/>\n");
    html.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">retrieval budget (tokens,"
        + " log scale); solid: mean score, dashed: correct answers</text>%n", LEFT + plotW / 2, HEIGHT - 10));
    html.append("</svg>\n");
  }
}
