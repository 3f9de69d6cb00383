package rag.app.eval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import rag.app.eval.EvalViews.QueryRowView;
import rag.app.eval.EvalViews.RetrievalResult;
import rag.app.eval.EvalViews.TimingsView;
import rag.eval.ProgressListener;
import rag.eval.beir.BeirDataset;
import rag.eval.beir.BeirLoader;
import rag.eval.beir.RankedRetriever;
import rag.eval.beir.RetrievalRun;
import rag.eval.probe.ProbeParts;
import rag.eval.report.EvalReport;
import rag.eval.report.ReportRenderer;
import rag.eval.stack.ArchiveRetriever;
import rag.eval.stack.MemoizingEmbedder;

/**
 * Runs a {@link RetrievalPlan}: loads the dataset, evaluates each retriever over the service's stack in its own
 * scratch archive (dense and hybrid share one embedder, so the corpus is embedded once), then the result and report.
 */
final class RetrievalJob {
  private final RetrievalPlan plan;
  private final EvalParts parts;

  RetrievalJob(RetrievalPlan plan, EvalParts parts) {
    this.plan = plan;
    this.parts = parts;
  }

  EvalOutcome run(String runId, Instant createdAt, ProgressListener progress) {
    BeirDataset dataset = BeirLoader.load(plan.dataset(), plan.split());
    MemoizingEmbedder embedder = new MemoizingEmbedder(parts.embedder());
    List<ArchiveRetriever> retrievers = new ArrayList<>();
    for (ArchiveRetriever.Kind kind : plan.retrievers()) {
      retrievers.add(new ArchiveRetriever(kind, embedder, parts.chunker(), parts.scratchDir(),
          ProbeParts.DEFAULT_RRF_K, ProbeParts.DEFAULT_NEAR_DUPLICATE_THRESHOLD)
          .indexedWith(parts.bm25(), parts.embedContext()).fusedWith(parts.fusion()));
    }
    List<rag.eval.beir.RetrievalResult> results;
    try {
      results = new RetrievalRun(plan.k()).runAll(dataset, List.<RankedRetriever>copyOf(retrievers), progress);
    } finally {
      retrievers.forEach(ArchiveRetriever::close);
    }
    Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
    Map<String, TimingsView> timings = new LinkedHashMap<>();
    Map<String, List<QueryRowView>> perQuery = new LinkedHashMap<>();
    List<String> summary = new ArrayList<>();
    for (rag.eval.beir.RetrievalResult r : results) {
      metrics.put(r.retriever(), r.metrics());
      timings.put(r.retriever(), TimingsView.of(r.timings()));
      perQuery.put(r.retriever(), r.perQuery().stream().map(QueryRowView::of).toList());
      summary.add(String.format(Locale.ROOT, "%s %.4f", r.retriever(), r.metrics().get("ndcg@10")));
    }
    RetrievalResult view = new RetrievalResult("retrieval", dataset.name(), dataset.split(), dataset.corpus().size(),
        dataset.queries().size(), plan.k(), embedder.modelName(), metrics, timings, perQuery);
    Map<String, String> reportSettings = new LinkedHashMap<>();
    reportSettings.put("Run", runId + " (created " + createdAt + ")");
    reportSettings.put("Dataset", plan.dataset() + " (" + plan.split() + " split)");
    reportSettings.put("Retrievers", String.join(", ", plan.settings().retrievers()) + "; " + plan.k()
        + " documents per query, a document scored by its best chunk");
    reportSettings.put("Embedding model", embedder.modelName() + String.format(Locale.ROOT, " (%,d distinct chunk"
        + " texts embedded in %,d ms, shared by dense and hybrid: the second one's index time leaves the model out)",
        embedder.embeddedTexts(), embedder.embeddingMillis()));
    String html = new ReportRenderer().render(new EvalReport("Retrieval run " + runId + ": " + dataset.name(),
        reportSettings, List.of(), results));
    return new EvalOutcome(view, html, "nDCG@10: " + String.join(", ", summary));
  }
}
