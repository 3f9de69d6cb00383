package rag.eval.report;

import static rag.eval.report.Html.escape;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import rag.eval.niah.EffectiveLength;
import rag.eval.niah.Needle;
import rag.eval.niah.NiahCell;
import rag.eval.niah.NiahResult;
import rag.eval.niah.NiahSettings;
import rag.eval.niah.NiahSummary;

/**
 * One NIAH result: its settings and the heatmap, rows = depths, columns = context lengths, each cell coloured by
 * score with {@code data-length}, {@code data-depth}, {@code data-score}, {@code data-found} and (when known)
 * {@code data-rank} attributes and the probe's detail as its {@code title}; the last column and row hold the
 * per-depth and per-length mean scores.
 */
final class NiahSection {
  private NiahSection() {}

  static void render(StringBuilder html, NiahResult result, int number) {
    NiahSettings settings = result.settings();
    html.append("<section class=\"niah\" id=\"niah-").append(number).append("\">\n<h2>Needle in a haystack ")
        .append(number).append(": ").append(escape(settings.needles().variant())).append(", ")
        .append(escape(result.haystack())).append("</h2>\n");
    html.append("<table class=\"settings\">\n");
    row(html, "Mode", settings.mode());
    row(html, "Model", settings.model());
    row(html, "Haystack", result.haystack());
    row(html, "Tokenizer", result.tokenizer());
    row(html, "Question", settings.needles().question());
    row(html, "Needles", String.join(" | ", settings.needles().targets().stream().map(Needle::text).toList()));
    row(html, "Expected answers", String.join(" | ",
        settings.needles().targets().stream().map(Needle::answer).toList()));
    row(html, "Distractors", settings.needles().distractors().size());
    row(html, "Found threshold", Html.fixed(settings.foundThreshold(), 2));
    row(html, "Grid", settings.grid().contextLengths().size() + " lengths x "
        + settings.grid().depthPercents().size() + " depths");
    row(html, "Found rate", Html.percent(result.summary().foundRate()));
    row(html, "Mean score", Html.fixed(result.summary().meanScore(), 3));
    if ("end-to-end".equals(settings.mode())) {
      row(html, "Effective length", EffectiveLength.of(result.summary()).map(e -> e.atLeast()
          ? "at least " + Html.tokens(e.tokens()) + " (every length scored within 85% of the shortest's "
              + Html.fixed(e.baseScore(), 3) + ")"
          : Html.tokens(e.tokens()) + " (" + Html.tokens(e.firstFailing()) + " scored under 85% of the shortest's "
              + Html.fixed(e.baseScore(), 3) + ")").orElse("not measured: the grid needs two lengths and a score above"
              + " 0 at the shortest"));
    }
    row(html, "Timings", "build " + result.timings().buildMillis() + " ms, probe " + result.timings().probeMillis()
        + " ms, total " + result.timings().totalMillis() + " ms");
    html.append("</table>\n");
    heatmap(html, result);
    html.append("</section>\n");
  }

  private static void heatmap(StringBuilder html, NiahResult result) {
    List<Integer> lengths = result.settings().grid().contextLengths();
    Map<String, NiahCell> cells = new HashMap<>();
    result.cells().forEach(c -> cells.put(key(c.contextLength(), c.depthPercent()), c));
    html.append("<table class=\"heatmap\">\n<thead><tr><th>Depth \\ Length</th>");
    lengths.forEach(l -> html.append("<th data-length=\"").append(l).append("\">").append(Html.tokens(l))
        .append("</th>"));
    html.append("<th>Mean</th></tr></thead>\n<tbody>\n");
    NiahSummary summary = result.summary();
    for (double depth : result.settings().grid().depthPercents()) {
      html.append("<tr><th>").append(Html.depth(depth)).append("</th>");
      for (int length : lengths) {
        NiahCell cell = cells.get(key(length, depth));
        if (cell == null) {
          html.append("<td class=\"missing\">&ndash;</td>");
        } else {
          html.append("<td class=\"cell\" data-length=\"").append(length).append("\" data-depth=\"").append(depth)
              .append("\" data-score=\"").append(cell.score()).append("\" data-found=\"").append(cell.found())
              .append(cell.rank() == null ? "" : "\" data-rank=\"" + cell.rank())
              .append(cell.detail() == null ? "" : "\" title=\"" + escape(cell.detail()))
              .append("\" style=\"background-color:").append(Html.scoreColour(cell.score())).append("\">")
              .append(Html.fixed(cell.score(), 2)).append("</td>");
        }
      }
      double mean = summary.byDepth().stream().filter(d -> d.depthPercent() == depth)
          .mapToDouble(NiahSummary.DepthAverage::meanScore).findFirst().orElse(Double.NaN);
      html.append(meanCell(mean)).append("</tr>\n");
    }
    html.append("</tbody>\n<tfoot><tr><th>Mean</th>");
    for (int length : lengths) {
      double mean = summary.byLength().stream().filter(l -> l.contextLength() == length)
          .mapToDouble(NiahSummary.LengthAverage::meanScore).findFirst().orElse(Double.NaN);
      html.append(meanCell(mean));
    }
    html.append(meanCell(summary.meanScore())).append("</tr></tfoot>\n</table>\n");
  }

  private static String meanCell(double mean) {
    return Double.isNaN(mean) ? "<td class=\"mean missing\">&ndash;</td>"
        : "<td class=\"mean\">" + Html.fixed(mean, 2) + "</td>";
  }

  private static String key(int length, double depth) {
    return length + "@" + depth;
  }

  private static void row(StringBuilder html, String name, Object value) {
    html.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>\n");
  }
}
