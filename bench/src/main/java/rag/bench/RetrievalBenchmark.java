package rag.bench;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import rag.eval.beir.BeirDataset;
import rag.eval.beir.BeirLoader;
import rag.eval.beir.RankedRetriever;
import rag.eval.beir.RetrievalResult;
import rag.eval.beir.RetrievalRun;
import rag.eval.report.EvalReport;
import rag.eval.report.ReportRenderer;
import rag.eval.stack.ArchiveRetriever;
import rag.eval.stack.MemoizingEmbedder;
import rag.ingest.chunk.Chunkers;
import rag.ingest.chunk.ChunkingConfig;
import rag.query.retrieve.Fusion;
import rag.storage.Archive;
import rag.storage.ArchiveFactory;
import rag.storage.StorageConfig;
import rag.storage.lexical.Bm25Params;
import rag.storage.embed.CachingEmbedder;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.OnnxEmbedder;

/**
 * Retrieval accuracy on a BEIR dataset (SciFact by default): the service's BM25, dense and hybrid retrieval (its
 * chunker, Lucene BM25 k1 0.9 b 0.4, bge-small-en-v1.5 quantized vectors in Lucene HNSW, RRF k 60) and, in the same
 * run, LangChain4j Easy RAG with its defaults as the baseline row; nDCG@10, recall@10/100, MRR@10 per retriever with
 * index time and query latency, checked against the published targets. Writes a Markdown table, the HTML report and
 * the JSON results under {@code bench/results}. With {@code --cache=DIR} our retrievers' vectors are kept in an
 * embedding cache there, so a rerun skips the model (the report says how many vectors came from it); Easy RAG always
 * embeds. Run with {@code scripts/bench-retrieval.sh}.
 */
public final class RetrievalBenchmark {
  /** Published nDCG@10 on SciFact: Anserini's flat BM25 and bge-small-en-v1.5 (MTEB). */
  static final double BM25_TARGET = 0.6789;
  static final double DENSE_TARGET = 0.7127;
  static final double HYBRID_TARGET = 0.73;

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = Args.parse(args);
    Path dataset = Path.of(opts.getOrDefault("dataset", "../shared/corpora/scifact"));
    String split = opts.getOrDefault("split", "test");
    List<String> names = List.of(opts.getOrDefault("retrievers", "bm25,dense,hybrid,easy-rag").split(","));
    InProcessModel modelId = InProcessModel.byId(opts.getOrDefault("model", "bge-small-en-v1.5-q"));
    int chunkTokens = Integer.parseInt(opts.getOrDefault("chunk-tokens", "400"));
    int overlapTokens = Integer.parseInt(opts.getOrDefault("overlap-tokens", "50"));
    Path scratch = opts.containsKey("scratch") ? Path.of(opts.get("scratch")) : null;
    Path results = Path.of(opts.getOrDefault("results", "bench/results"));
    Path cache = opts.containsKey("cache") ? Path.of(opts.get("cache")) : null;
    String commit = opts.getOrDefault("commit", "unknown");
    float titleWeight = Float.parseFloat(opts.getOrDefault("title-weight",
        String.valueOf(Bm25Params.DEFAULT_TITLE_WEIGHT)));
    boolean embedContext = Boolean.parseBoolean(opts.getOrDefault("embed-context", "false"));
    Bm25Params bm25 = new Bm25Params(Bm25Params.DEFAULT.k1(), Bm25Params.DEFAULT.b(), titleWeight);
    Fusion fusion = Fusion.named(opts.getOrDefault("fusion", "score"), 60, new Fusion.Weights(
        Double.parseDouble(opts.getOrDefault("bm25-weight", "1")), Double.parseDouble(opts.getOrDefault("dense-weight",
        "1"))));
    System.err.printf("indexing: BM25 title weight %s, chunk headers embedded: %s; hybrid fusion %s%n", titleWeight,
        embedContext, fusion.getClass().getSimpleName());

    BeirDataset data = BeirLoader.load(dataset, split);
    System.err.printf("%s (%s): %,d documents, %,d queries with judgments%n", data.name(), split,
        data.corpus().size(), data.queries().size());
    ChunkingConfig chunking = new ChunkingConfig(chunkTokens, overlapTokens);
    List<RetrievalResult> rows = new ArrayList<>();
    long start = System.nanoTime();
    String embedding;
    LoadSampler load = new LoadSampler();
    try (load; OnnxEmbedder onnx = new OnnxEmbedder(modelId, Runtime.getRuntime().availableProcessors());
        Archive cacheStore = cache == null ? null : ArchiveFactory.open(StorageConfig.embedded(cache),
            onnx.dimension(), onnx.modelName())) {
      // model: counts what the model itself embedded; embedder: what the retrievers use (through the cache if any)
      MemoizingEmbedder model = new MemoizingEmbedder(onnx);
      MemoizingEmbedder embedder = new MemoizingEmbedder(cacheStore == null ? model
          : new CachingEmbedder(model, cacheStore.embeddingCache()));
      List<RankedRetriever> retrievers = new ArrayList<>();
      for (String name : names) {
        retrievers.add(name.equals("easy-rag") ? new EasyRagRetriever() : new ArchiveRetriever(
            ArchiveRetriever.Kind.parse(name), embedder, Chunkers.byFormat(chunking, JTokkitTokenCounter.cl100k()),
            scratch, 60, 0.9).indexedWith(bm25, embedContext).fusedWith(fusion));
      }
      RetrievalRun run = new RetrievalRun();
      for (RankedRetriever retriever : retrievers) {
        long t0 = System.nanoTime();
        RetrievalResult result = run.run(data, retriever, (done, total) -> {
          if (done % 100 == 0 || done == total) {
            System.err.printf("  %s: %d/%d queries%n", retriever.name(), done, total);
          }
        });
        if (retriever instanceof ArchiveRetriever archive) {
          archive.close();
        }
        rows.add(result);
        System.err.printf("%s: nDCG@10 %.4f, index %,d ms, run %.0f s%n", retriever.name(),
            result.metrics().get("ndcg@10"), result.timings().indexMillis(), (System.nanoTime() - t0) / 1e9);
      }
      embedding = String.format(Locale.ROOT, "the model embedded %,d distinct chunk texts in %,d ms for dense and"
          + " hybrid together%s", model.embeddedTexts(), model.embeddingMillis(), cacheStore == null ? ""
          : String.format(Locale.ROOT, " (%,d more came from the vector cache %s, so index times leave them out)",
              embedder.embeddedTexts() - model.embeddedTexts(), cache));
      System.err.println(embedding);
    }
    long totalSeconds = (System.nanoTime() - start) / 1_000_000_000;

    String conditions = String.format(Locale.ROOT, "%s, commit %s, %d cores, Java %s, %s; %s (%s split), %,d"
        + " documents, %,d queries; chunks %d tokens with %d overlap (cl100k); embedding model %s (%s); whole run %d s",
        LocalDateTime.now().withNano(0), commit, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), load.summary(),
        data.name(), split, data.corpus().size(), data.queries().size(), chunkTokens, overlapTokens,
        modelId.id(), embedding, totalSeconds);
    String table = table(rows);
    System.out.println(table);
    BenchOutput out = new BenchOutput(results, "retrieval-" + data.name());
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("Conditions", conditions);
    settings.put("Command", "scripts/bench-retrieval.sh " + String.join(" ", args));
    Path html = out.write("html", new ReportRenderer().render(new EvalReport("Retrieval benchmark: " + data.name(),
        settings, List.of(), rows)));
    out.writeJson(rows);
    Path md = out.write("md", "Retrieval benchmark. " + conditions + ".\n\nCommand: `scripts/bench-retrieval.sh "
        + String.join(" ", args) + "`\n\n" + table + "\n" + targets(rows) + "\nHTML report: " + html.getFileName()
        + "\n");
    System.err.println("wrote " + md + " and " + html);
  }

  static String table(List<RetrievalResult> rows) {
    StringBuilder t = new StringBuilder("| retriever | nDCG@10 | recall@10 | recall@100 | MRR@10 | index (s)"
        + " | query p50 (ms) | query p95 (ms) |\n|---|---|---|---|---|---|---|---|\n");
    for (RetrievalResult r : rows) {
      t.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f | %.1f | %.1f | %.1f |%n",
          r.retriever(), r.metrics().get("ndcg@10"), r.metrics().get("recall@10"), r.metrics().get("recall@100"),
          r.metrics().get("mrr@10"), r.timings().indexMillis() / 1000.0, r.timings().latencyP50Millis(),
          r.timings().latencyP95Millis()));
    }
    return t.toString();
  }

  static String targets(List<RetrievalResult> rows) {
    StringBuilder t = new StringBuilder();
    for (RetrievalResult r : rows) {
      double ndcg = r.metrics().get("ndcg@10");
      String line = switch (r.retriever()) {
        case "bm25" -> check("BM25 within 0.01 of Anserini's flat BM25 " + BM25_TARGET, Math.abs(ndcg - BM25_TARGET)
            <= 0.01, ndcg);
        case "dense" -> check("dense within 0.02 of bge-small-en-v1.5's published " + DENSE_TARGET,
            Math.abs(ndcg - DENSE_TARGET) <= 0.02, ndcg);
        case "hybrid" -> check("hybrid at least " + HYBRID_TARGET, ndcg >= HYBRID_TARGET, ndcg);
        default -> null;
      };
      if (line != null) {
        t.append(line);
      }
    }
    return t.toString();
  }

  private static String check(String target, boolean met, double ndcg) {
    return String.format(Locale.ROOT, "- target %s: %s (%.4f)%n", target, met ? "met" : "MISSED", ndcg);
  }
}
