package rag.eval.report;

import static rag.eval.report.Html.escape;

import java.util.List;
import java.util.Map;
import rag.eval.qa.QaRun;

/**
 * Retrieval accuracy over a collection: the metrics per retriever (each cell with {@code data-retriever},
 * {@code data-metric} and {@code data-value}), a bar chart of hits@5 per retriever, and per question where the
 * expected passage ranked with each retriever and what was retrieved.
 */
final class QaSection {
  private QaSection() {}

  static void render(StringBuilder html, QaRun.Result result, int number) {
    html.append("<section class=\"qa\" id=\"qa-").append(number).append("\">\n<h2>Retrieval accuracy ")
        .append(number).append(" (top ").append(result.k()).append(")</h2>\n");
    List<String> metricNames = result.metrics().values().iterator().next().keySet().stream().toList();
    html.append("<table class=\"qa-metrics\">\n<thead><tr><th>Retriever</th>");
    metricNames.forEach(m -> html.append("<th>").append(escape(m)).append("</th>"));
    html.append("</tr></thead>\n<tbody>\n");
    for (Map.Entry<String, Map<String, Double>> r : result.metrics().entrySet()) {
      html.append("<tr><th>").append(escape(r.getKey())).append("</th>");
      for (String m : metricNames) {
        double v = r.getValue().get(m);
        html.append("<td data-retriever=\"").append(escape(r.getKey())).append("\" data-metric=\"").append(escape(m))
            .append("\" data-value=\"").append(v).append("\">").append(Html.fixed(v, 3)).append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</tbody>\n</table>\n");
    chart(html, result);
    if (!result.packing().isEmpty()) {
      html.append("<h3>Expected passages in the packed prompt</h3>\n<table class=\"qa-packing\">\n<thead><tr>"
          + "<th>Retrieval budget</th><th>Recall</th><th>Prompt tokens (mean)</th><th style=\"text-align:left\">"
          + "Questions whose prompt lacks the passage</th></tr></thead>\n<tbody>\n");
      for (QaRun.BudgetRecall b : result.packing()) {
        html.append("<tr data-budget=\"").append(b.budget()).append("\" data-recall=\"").append(b.recall())
            .append("\"><td>").append(Html.tokens(b.budget())).append("</td><td>").append(Html.fixed(b.recall(), 3))
            .append("</td><td>").append(Html.fixed(b.meanPromptTokens(), 0)).append("</td><td style=\"text-align:"
                + "left\">").append(escape(String.join(", ", b.missed()))).append("</td></tr>\n");
      }
      html.append("</tbody>\n</table>\n");
    }
    if (result.endToEnd() != null) {
      QaRun.EndToEnd e = result.endToEnd();
      html.append("<h3>End to end: ").append(escape(e.profile())).append(e.judge() == null ? ""
          : ", graded by " + escape(e.judge())).append("</h3>\n<p class=\"end-to-end\""
          + " data-answer-accuracy=\"").append(e.answerAccuracy()).append("\" data-citation-accuracy=\"")
          .append(e.citationAccuracy()).append("\">Answers holding the expected answer: ")
          .append(Html.percent(e.answerAccuracy())).append(" of ").append(e.answered())
          .append(" questions with one; answers citing an expected passage: ").append(Html.percent(e.citationAccuracy()))
          .append(".</p>\n<details><summary>Answers</summary>\n<table class=\"qa-answers\">\n<tr><th>Id</th><th>"
              + "Correct</th><th>Cites the passage</th><th>Tokens</th><th style=\"text-align:left\">Answer</th></tr>\n");
      for (QaRun.AnswerCheck a : e.answers()) {
        html.append("<tr data-question=\"").append(escape(a.id())).append("\"><td>").append(escape(a.id()))
            .append("</td><td>").append(a.correct() == null ? "" : a.correct() ? "yes" : "no").append("</td><td>")
            .append(a.citesPassage() ? "yes" : "no").append("</td><td>").append(a.tokensSpent())
            .append("</td><td style=\"text-align:left\">").append(escape(a.error() != null ? a.error() : a.answer()))
            .append("</td></tr>\n");
      }
      html.append("</table>\n</details>\n");
    }
    html.append("<details><summary>Per question</summary>\n<table class=\"qa-questions\">\n<thead><tr><th>Id</th>"
        + "<th style=\"text-align:left\">Question</th>");
    result.metrics().keySet().forEach(r -> html.append("<th>").append(escape(r)).append(" rank</th>"));
    html.append("</tr></thead>\n<tbody>\n");
    for (QaRun.QuestionResult q : result.questions()) {
      html.append("<tr data-question=\"").append(escape(q.id())).append("\"><td>").append(escape(q.id()))
          .append("</td><td style=\"text-align:left\">").append(escape(q.question())).append("</td>");
      for (QaRun.Outcome o : q.outcomes()) {
        String title = String.join("\n", o.retrieved().stream().limit(10).map(r -> r.rank() + ". " + r.source()
            + (r.where().isEmpty() ? "" : " (" + r.where() + ")") + " " + r.grade().name().toLowerCase()).toList());
        html.append("<td data-retriever=\"").append(escape(o.retriever())).append("\" data-rank=\"")
            .append(o.hitRank() == null ? "" : o.hitRank()).append("\" title=\"").append(escape(title)).append("\">")
            .append(o.hitRank() != null ? String.valueOf(o.hitRank())
                : o.documentRank() != null ? "document at " + o.documentRank() : "missed")
            .append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</tbody>\n</table>\n</details>\n</section>\n");
  }

  /** hits@5 per retriever as horizontal bars (inline SVG). */
  private static void chart(StringBuilder html, QaRun.Result result) {
    int rows = result.metrics().size();
    int height = 24 * rows + 30;
    html.append("<svg class=\"qa-chart\" role=\"img\" aria-label=\"hits@5 per retriever\" width=\"520\" height=\"")
        .append(height).append("\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">\n");
    int y = 10;
    for (Map.Entry<String, Map<String, Double>> r : result.metrics().entrySet()) {
      double v = r.getValue().getOrDefault("hits@5", 0.0);
      html.append(String.format(java.util.Locale.ROOT, "<text x=\"0\" y=\"%d\">%s</text><rect data-retriever=\"%s\""
          + " data-value=\"%s\" x=\"90\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"#2c6fbb\"/><text x=\"%.1f\""
          + " y=\"%d\">%s</text>%n", y + 12, escape(r.getKey()), escape(r.getKey()), v, y, 360 * v, 96 + 360 * v,
          y + 12, Html.fixed(v, 3)));
      y += 24;
    }
    html.append("<text x=\"90\" y=\"").append(height - 4).append("\">hits@5: an expected passage in the top 5</text>\n");
    html.append("</svg>\n");
  }
}
