package rag.bench;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import rag.eval.niah.HaystackBuilder;
import rag.eval.niah.HaystackSources;
import rag.eval.niah.NeedleSet;
import rag.eval.niah.NiahCell;
import rag.eval.niah.NiahGrid;
import rag.eval.niah.NiahResult;
import rag.eval.niah.NiahRun;
import rag.eval.niah.NiahSettings;
import rag.eval.probe.ProbeParts;
import rag.eval.probe.RetrieveProbe;
import rag.eval.report.EvalReport;
import rag.eval.report.ReportRenderer;
import rag.ingest.chunk.Chunkers;
import rag.ingest.chunk.ChunkingConfig;
import rag.query.profile.ModelProfile;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.embed.TokenCounter;

/**
 * The NIAH grid in retrieve mode at full size: by default 10 context lengths log-spaced from 1K to 10M tokens x 10
 * depths, over a haystack folder (../shared/corpora/books), for a 256K-window profile. Every cell runs the service's
 * stack for real: the haystack is chunked and indexed (BM25 and vectors from an in-process model) in a scratch
 * archive, the planner packs the retrieval budget, and the needle counts as found when it is inside the packed
 * passages. Reports per length the found rate, ranks and the time, the whole run against the 30-minute budget, and
 * writes the heatmap report. Run with {@code scripts/bench-niah.sh}.
 */
public final class NiahBenchmark {
  static final long BUDGET_SECONDS = 30 * 60;

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = Args.parse(args);
    Path haystack = Path.of(opts.getOrDefault("haystack", "../shared/corpora/books"));
    int min = Integer.parseInt(opts.getOrDefault("min", "1000"));
    int max = Integer.parseInt(opts.getOrDefault("max", "10000000"));
    int lengths = Integer.parseInt(opts.getOrDefault("lengths", "10"));
    int depths = Integer.parseInt(opts.getOrDefault("depths", "10"));
    InProcessModel model = InProcessModel.byId(opts.getOrDefault("model", "bge-small-en-v1.5-q"));
    int documentTokens = Integer.parseInt(opts.getOrDefault("document-tokens", "4096"));
    long window = Long.parseLong(opts.getOrDefault("window", "262144"));
    int reserve = Integer.parseInt(opts.getOrDefault("reserve", "8192"));
    long budget = Long.parseLong(opts.getOrDefault("budget", "32768"));
    Path scratch = opts.containsKey("scratch") ? Path.of(opts.get("scratch")) : null;
    Path results = Path.of(opts.getOrDefault("results", "bench/results"));
    String commit = opts.getOrDefault("commit", "unknown");

    TokenCounter counter = JTokkitTokenCounter.cl100k();
    NiahSettings settings = new NiahSettings(new NiahGrid(NiahGrid.logSpacedLengths(min, max, lengths),
        NiahGrid.linearDepths(depths)), NeedleSet.defaultSingle(), NiahSettings.DEFAULT_FOUND_THRESHOLD, "retrieve",
        "qwen3 (256K profile)");
    ModelProfile profile = new ModelProfile("qwen3", null, null, null, window, reserve, counter.name(), null, null,
        budget);
    long start = System.nanoTime();
    List<Long> lengthDone = new ArrayList<>();
    NiahResult result;
    String index;
    LoadSampler load = new LoadSampler();
    try (load; OnnxEmbedder onnx = new OnnxEmbedder(model, Runtime.getRuntime().availableProcessors())) {
      HaystackBuilder builder = new HaystackBuilder(haystack.getFileName().toString(),
          HaystackSources.fromFolder(haystack), counter, documentTokens);
      System.err.printf("haystack %s: %,d tokens in one pass; grid %s x %s%n", builder.name(),
          builder.sourceTokens(), settings.grid().contextLengths(), settings.grid().depthPercents());
      ProbeParts parts = new ProbeParts(onnx, Chunkers.byFormat(ChunkingConfig.DEFAULT, counter), counter, scratch);
      try (RetrieveProbe probe = new RetrieveProbe(parts, profile)) {
        result = new NiahRun(builder, probe).run(settings, (done, total) -> {
          long elapsed = (System.nanoTime() - start) / 1_000_000;
          if (done % depths == 0) {
            lengthDone.add(elapsed);
          }
          System.err.printf("%d/%d cells, %.1f s, %s%n", done, total, elapsed / 1000.0, probe.indexSummary());
        });
        index = probe.indexSummary();
      }
    }
    long seconds = (System.nanoTime() - start) / 1_000_000_000;
    String conditions = String.format(Locale.ROOT, "%s, commit %s, %d cores, Java %s, %s; haystack %s (%,d tokens"
        + " in one pass, repeated as needed), documents of %,d tokens, chunks 400/50 (cl100k); embedding model %s;"
        + " profile: window %,d, answer reserve %,d, retrieval budget %,d; scratch archive in %s; %s",
        LocalDateTime.now().withNano(0), commit, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), load.summary(), haystack, HaystackSources.fromFolder(haystack).stream()
            .mapToLong(s -> counter.count(s.text())).sum(), documentTokens, model.id(), window, reserve, budget,
        scratch == null ? System.getProperty("java.io.tmpdir") : scratch, index);
    String table = table(result, lengthDone);
    String verdict = String.format(Locale.ROOT, "Whole run: %d s (%.1f min) for %d cells; the budget is %d min: %s.",
        seconds, seconds / 60.0, result.cells().size(), BUDGET_SECONDS / 60, seconds <= BUDGET_SECONDS ? "met"
            : "MISSED");
    System.out.println(table + "\n" + verdict);
    BenchOutput out = new BenchOutput(results, "niah-retrieve");
    Map<String, String> reportSettings = new LinkedHashMap<>();
    reportSettings.put("Conditions", conditions);
    reportSettings.put("Command", "scripts/bench-niah.sh " + String.join(" ", args));
    reportSettings.put("Whole run", verdict);
    Path html = out.write("html", new ReportRenderer().render(new EvalReport("NIAH benchmark, retrieve mode",
        reportSettings, List.of(result), List.of())));
    out.writeJson(result);
    Path md = out.write("md", "NIAH benchmark, retrieve mode. " + conditions + ".\n\nCommand: `scripts/bench-niah.sh "
        + String.join(" ", args) + "`\n\n" + table + "\n" + verdict + "\n\nHTML report: " + html.getFileName() + "\n");
    System.err.println("wrote " + md + " and " + html);
  }

  /** One row per context length: found rate, ranks, and the time the length took (index and its cells). */
  static String table(NiahResult result, List<Long> lengthDone) {
    StringBuilder t = new StringBuilder("| context length | found | fused rank of the needle (per depth) | time (s) |\n"
        + "|---|---|---|---|\n");
    List<Integer> lengths = result.settings().grid().contextLengths();
    for (int i = 0; i < lengths.size(); i++) {
      int length = lengths.get(i);
      List<NiahCell> cells = result.cells().stream().filter(c -> c.contextLength() == length).toList();
      long found = cells.stream().filter(NiahCell::found).count();
      String ranks = String.join(" ", cells.stream().map(c -> c.rank() == null ? "-" : c.rank().toString()).toList());
      double seconds = i < lengthDone.size() ? (lengthDone.get(i) - (i == 0 ? 0 : lengthDone.get(i - 1))) / 1000.0
          : Double.NaN;
      t.append(String.format(Locale.ROOT, "| %,d | %d/%d | %s | %.1f |%n", length, found, cells.size(), ranks,
          seconds));
    }
    return t.toString();
  }
}
