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
    if (report.niah().isEmpty() && report.retrieval().isEmpty() && report.budgets().isEmpty()
        && report.qa().isEmpty()) {
      html.append("<p>No results.</p>\n");
    }
    return html.append("</body>\n</html>\n").toString();
  }
}
