package rag.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;
import rag.eval.beir.QueryRow;
import rag.eval.beir.RetrievalResult;
import rag.eval.beir.RetrievalTimings;
import rag.eval.niah.Needle;
import rag.eval.niah.NeedleSet;
import rag.eval.niah.NiahCell;
import rag.eval.niah.NiahGrid;
import rag.eval.niah.NiahResult;
import rag.eval.niah.NiahSettings;
import rag.eval.niah.NiahSummary;
import rag.eval.niah.NiahTimings;

class ReportRendererTest {
  private static final String HOSTILE = "<script>alert('x')</script> & \"quoted\"";

  private static NiahResult niah() {
    List<NiahCell> cells = List.of(
        new NiahCell(1_000, 0, true, 1, 1.0), new NiahCell(1_000, 50, false, null, 0.0),
        new NiahCell(1_000, 100, true, 2, 0.75, "fused rank 2 <of 40>"), new NiahCell(128_000, 0, true, 1, 1.0),
        new NiahCell(128_000, 50, false, null, 0.5), new NiahCell(128_000, 100, false, null, 0.25));
    NiahSettings settings = new NiahSettings(new NiahGrid(List.of(1_000, 128_000), List.of(0.0, 50.0, 100.0)),
        NeedleSet.single(Needle.of("Needle " + HOSTILE + "."), "Question " + HOSTILE + "?"), 0.5, HOSTILE, "qwen3");
    return new NiahResult(settings, "moby-dick-1-20", "cl100k_base", cells, NiahSummary.of(cells),
        new NiahTimings(12, 340, 400));
  }

  private static RetrievalResult retrieval(String retriever, double ndcg) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("ndcg@10", ndcg);
    metrics.put("recall@10", 0.75);
    metrics.put("recall@100", 0.9);
    metrics.put("mrr@10", 0.625);
    return new RetrievalResult("scifact", "test", retriever, 5183, 1, metrics,
        List.of(new QueryRow("q<1>", metrics, 100, 1.5)), new RetrievalTimings(2_000, 1.25, 3.5, 1.4, 2_500));
  }

  private static Document render() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("Model", "Llama 4 Scout");
    settings.put("Profile", HOSTILE);
    String html = new ReportRenderer().render(new EvalReport("Eval " + HOSTILE, settings, List.of(niah()),
        List.of(retrieval("bm25", 0.6789), retrieval("hybrid & <rrf>", 0.7))));
    return Jsoup.parse(html);
  }

  @Test
  void heatmapCellsCarryLengthDepthAndScore() {
    Elements cells = render().select("table.heatmap td.cell");
    assertThat(cells).hasSize(6);
    assertThat(cells.eachAttr("data-length")).containsExactly("1000", "128000", "1000", "128000", "1000", "128000");
    assertThat(cells.eachAttr("data-depth")).containsExactly("0.0", "0.0", "50.0", "50.0", "100.0", "100.0");
    assertThat(cells.eachAttr("data-score").stream().map(Double::valueOf).toList())
        .containsExactly(1.0, 1.0, 0.0, 0.5, 0.75, 0.25);
    assertThat(cells.eachText()).containsExactly("1.00", "1.00", "0.00", "0.50", "0.75", "0.25");
    assertThat(cells.get(0).attr("style")).contains("hsl(120,");
    assertThat(cells.get(2).attr("style")).contains("hsl(0,");
    assertThat(cells.get(3).attr("style")).contains("hsl(60,");
  }

  @Test
  void heatmapHasLengthColumnsDepthRowsAndMeans() {
    Element heatmap = render().selectFirst("table.heatmap");
    assertThat(heatmap.select("thead th").eachText()).containsExactly("Depth \\ Length", "1K", "128K", "Mean");
    assertThat(heatmap.select("tbody tr > th").eachText()).containsExactly("0%", "50%", "100%");
    assertThat(heatmap.select("tbody td.mean").eachText()).containsExactly("1.00", "0.25", "0.50");
    assertThat(heatmap.select("tfoot td.mean").eachText()).containsExactly("0.58", "0.58", "0.58");
  }

  @Test
  void allTextIsEscapedAndThePageNeedsNothingFromOutside() {
    Document page = render();
    assertThat(page.select("script, link, img, iframe, [src], [href]")).isEmpty();
    assertThat(page.title()).isEqualTo("Eval " + HOSTILE);
    assertThat(page.select("#settings td").eachText()).containsExactly("Llama 4 Scout", HOSTILE);
    assertThat(page.select("section.niah table.settings td").eachText()).contains(HOSTILE, "Question " + HOSTILE + "?",
        "qwen3", "cl100k_base", "50.0%");
    assertThat(page.select("style")).hasSize(1);
  }

  @Test
  void retrievalTablesShowMetricsAndTimingsPerRetriever() {
    Document page = render();
    Elements rows = page.select("section.retrieval table.metrics tbody tr");
    assertThat(rows.eachAttr("data-retriever")).containsExactly("bm25", "hybrid & <rrf>");
    assertThat(rows.get(0).select("td").eachText()).containsExactly("0.6789", "0.7500", "0.9000", "0.6250", "2000",
        "1.25", "3.50", "2500");
    assertThat(rows.get(1).selectFirst("td[data-metric=ndcg@10]").attr("data-value")).isEqualTo("0.7");
    assertThat(page.select("section.retrieval h2").eachText()).containsExactly("Retrieval: scifact (test)");
    assertThat(page.select("details table.per-query tbody th").eachText()).containsExactly("q<1>", "q<1>");
  }

  @Test
  void cellsCarryTheirRankAndTheProbesDetail() {
    Element cell = render().selectFirst("table.heatmap td.cell[data-length=1000][data-depth=100.0]");
    assertThat(cell.attr("data-rank")).isEqualTo("2");
    assertThat(cell.attr("title")).isEqualTo("fused rank 2 <of 40>");
    assertThat(render().selectFirst("table.heatmap td.cell[data-length=1000][data-depth=50.0]").hasAttr("data-rank"))
        .isFalse();
  }
}
