package rag.eval.report;

import static rag.eval.report.Html.escape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rag.eval.beir.QueryRow;
import rag.eval.beir.RetrievalResult;
import rag.eval.metrics.Metric;

/**
 * Retrieval results grouped by dataset and split: one metrics table with a row per retriever (metrics, index time,
 * latency percentiles) and, folded away in a {@code <details>}, each retriever's per-query rows.
 */
final class RetrievalSection {
  private RetrievalSection() {}

  static void render(StringBuilder html, List<RetrievalResult> results) {
    Map<String, List<RetrievalResult>> byDataset = new LinkedHashMap<>();
    results.forEach(r -> byDataset.computeIfAbsent(r.dataset() + " (" + r.split() + ")", k -> new ArrayList<>())
        .add(r));
    byDataset.forEach((dataset, group) -> {
      RetrievalResult first = group.get(0);
      html.append("<section class=\"retrieval\">\n<h2>Retrieval: ").append(escape(dataset)).append("</h2>\n<p>")
          .append(first.documents()).append(" documents, ").append(first.queries())
          .append(" queries with judgments. Metrics as trec_eval defines them, mean over queries.</p>\n");
      html.append("<table class=\"metrics\">\n<thead><tr><th>Retriever</th>");
      Metric.STANDARD.forEach(m -> html.append("<th>").append(escape(m.label())).append("</th>"));
      html.append("<th>Index ms</th><th>p50 ms</th><th>p95 ms</th><th>Total ms</th></tr></thead>\n<tbody>\n");
      for (RetrievalResult result : group) {
        html.append("<tr data-retriever=\"").append(escape(result.retriever())).append("\"><th>")
            .append(escape(result.retriever())).append("</th>");
        Metric.STANDARD.forEach(m -> html.append(metricCell(m.label(), result.metrics().get(m.label()))));
        html.append("<td>").append(result.timings().indexMillis()).append("</td><td>")
            .append(Html.fixed(result.timings().latencyP50Millis(), 2)).append("</td><td>")
            .append(Html.fixed(result.timings().latencyP95Millis(), 2)).append("</td><td>")
            .append(result.timings().totalMillis()).append("</td></tr>\n");
      }
      html.append("</tbody>\n</table>\n");
      group.forEach(r -> perQuery(html, r));
      html.append("</section>\n");
    });
  }

  private static void perQuery(StringBuilder html, RetrievalResult result) {
    html.append("<details><summary>Per query: ").append(escape(result.retriever())).append("</summary>\n")
        .append("<table class=\"per-query\">\n<thead><tr><th>Query</th>");
    Metric.STANDARD.forEach(m -> html.append("<th>").append(escape(m.label())).append("</th>"));
    html.append("<th>Retrieved</th><th>ms</th></tr></thead>\n<tbody>\n");
    for (QueryRow row : result.perQuery()) {
      html.append("<tr><th>").append(escape(row.queryId())).append("</th>");
      Metric.STANDARD.forEach(m -> html.append(metricCell(m.label(), row.metrics().get(m.label()))));
      html.append("<td>").append(row.retrieved()).append("</td><td>").append(Html.fixed(row.latencyMillis(), 2))
          .append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n</details>\n");
  }

  private static String metricCell(String label, Double value) {
    if (value == null) {
      return "<td class=\"missing\">&ndash;</td>";
    }
    return "<td data-metric=\"" + escape(label) + "\" data-value=\"" + value + "\">" + Html.fixed(value, 4) + "</td>";
  }
}
