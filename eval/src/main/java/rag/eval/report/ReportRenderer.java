package rag.eval.report;

import static rag.eval.report.Html.escape;

import java.util.Map;

/**
 * Renders an {@link EvalReport} as one self-contained HTML page: inline CSS, no scripts, no external resources.
 * All text from results and settings is escaped. Cells carry {@code data-*} attributes with exact values so that
 * tools can read the numbers back from the page.
 */
public final class ReportRenderer {
  private static final String CSS = """
      body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:90em}
      h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em}
      table{border-collapse:collapse;margin:0.8em 0}
      th,td{border:1px solid #ccc;padding:0.25em 0.5em;text-align:right;font-variant-numeric:tabular-nums}
      th{background:#f4f4f4}
      table.settings th,table.settings td{text-align:left}
      table.heatmap td.cell{min-width:3em;text-align:center}
      td.mean{font-weight:bold;background:#f4f4f4}
      td.missing{color:#999;text-align:center}
      details{margin:0.5em 0}summary{cursor:pointer}
      """;

  /** Two retrieval-accuracy runs side by side: metric deltas, then each question's changes, regressions marked. */
  public String renderComparison(rag.eval.qa.QaComparison c) {
    StringBuilder html = new StringBuilder(8192);
    String title = "Retrieval accuracy: run " + c.run() + " against " + c.base();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(escape(title))
        .append("</title>\n<style>\n").append(CSS).append("tr.regressed td{background:#fde2e1}"
            + "tr.improved td{background:#e3f6e3}\n</style>\n</head>\n<body>\n<h1>").append(escape(title))
        .append("</h1>\n<p><span data-regressions=\"").append(c.regressions()).append("\">").append(c.regressions())
        .append(" regressions</span>, <span data-improvements=\"").append(c.improvements()).append("\">")
        .append(c.improvements()).append(" improvements</span> (a passage leaving or entering the top 5, or the top 10"
            + " below it).</p>\n");
    html.append("<table class=\"deltas\">\n<thead><tr><th>Retriever</th><th>Metric</th><th>").append(escape(c.base()))
        .append("</th><th>").append(escape(c.run())).append("</th><th>Delta</th></tr></thead>\n<tbody>\n");
    c.metrics().forEach((retriever, deltas) -> deltas.forEach((metric, d) -> html.append("<tr><td>")
        .append(escape(retriever)).append("</td><td>").append(escape(metric)).append("</td><td>")
        .append(Html.fixed(d.base(), 3)).append("</td><td>").append(Html.fixed(d.run(), 3))
        .append("</td><td data-retriever=\"").append(escape(retriever)).append("\" data-metric=\"").append(escape(metric))
        .append("\" data-delta=\"").append(d.delta()).append("\">").append(d.delta() >= 0 ? "+" : "")
        .append(Html.fixed(d.delta(), 3)).append("</td></tr>\n")));
    html.append("</tbody>\n</table>\n<table class=\"changes\">\n<thead><tr><th>Question</th><th>Retriever</th>"
        + "<th>Rank before</th><th>Rank after</th><th>Change</th></tr></thead>\n<tbody>\n");
    for (rag.eval.qa.QaComparison.QuestionChange q : c.questions()) {
      for (rag.eval.qa.QaComparison.Change ch : q.changes()) {
        html.append("<tr class=\"").append(ch.verdict()).append("\" data-question=\"").append(escape(q.id()))
            .append("\"><td style=\"text-align:left\" title=\"").append(escape(q.question())).append("\">")
            .append(escape(q.id())).append("</td><td>").append(escape(ch.retriever())).append("</td><td>")
            .append(ch.baseRank() == null ? "missed" : ch.baseRank()).append("</td><td>")
            .append(ch.runRank() == null ? "missed" : ch.runRank()).append("</td><td>").append(ch.verdict())
            .append("</td></tr>\n");
      }
    }
    html.append("</tbody>\n</table>\n");
    if (!c.onlyInBase().isEmpty() || !c.onlyInRun().isEmpty()) {
      html.append("<p>Only in ").append(escape(c.base())).append(": ").append(escape(String.join(", ", c.onlyInBase())))
          .append(". Only in ").append(escape(c.run())).append(": ").append(escape(String.join(", ", c.onlyInRun())))
          .append(".</p>\n");
    }
    return html.append("</body>\n</html>\n").toString();
  }

  public String render(EvalReport report) {
    StringBuilder html = new StringBuilder(8192);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(escape(report.title())).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n")
        .append("<h1>").append(escape(report.title())).append("</h1>\n");
    if (!report.settings().isEmpty()) {
      html.append("<section id=\"settings\">\n<h2>Settings</h2>\n<table class=\"settings\">\n");
      for (Map.Entry<String, String> setting : report.settings().entrySet()) {
        html.append("<tr><th>").append(escape(setting.getKey())).append("</th><td>").append(escape(setting.getValue()))
            .append("</td></tr>\n");
      }
      html.append("</table>\n</section>\n");
    }
    for (int i = 0; i < report.niah().size(); i++) {
      NiahSection.render(html, report.niah().get(i), i + 1);
    }
    if (!report.retrieval().isEmpty()) {
      RetrievalSection.render(html, report.retrieval());
    }
    for (int i = 0; i < report.budgets().size(); i++) {
      BudgetSection.render(html, report.budgets().get(i), i + 1);
    }
    for (int i = 0; i < report.qa().size(); i++) {
      QaSection.render(html, report.qa().get(i), i + 1);
    }
    for (rag.eval.qa.QuestionDrafter.Drafted d : report.drafts()) {
      DraftSection.render(html, d);
    }
    if (report.niah().isEmpty() && report.retrieval().isEmpty() && report.budgets().isEmpty()
        && report.qa().isEmpty() && report.drafts().isEmpty()) {
      html.append("<p>No results.</p>\n");
    }
    return html.append("</body>\n</html>\n").toString();
  }
}
