package rag.bench;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.io.Reader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import rag.eval.beir.BeirLoader;
import rag.eval.beir.BeirQuery;
import rag.eval.stack.MemoizingEmbedder;
import rag.eval.stack.ScratchArchive;
import rag.eval.stack.TextIndexer;
import rag.ingest.chunk.Chunkers;
import rag.ingest.chunk.ChunkingConfig;
import rag.query.QueryPipeline;
import rag.query.QueryRequest;
import rag.query.ServerTokenCalibration;
import rag.query.assemble.AssembledPrompt;
import rag.query.generate.OpenAiTokenizeClient;
import rag.query.generate.PromptMessage;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.query.plan.Planner;
import rag.query.plan.ScopeDocuments;
import rag.query.profile.ModelProfile;
import rag.query.profile.ModelProfiles;
import rag.query.retrieve.HybridRetriever;
import rag.storage.Archive;
import rag.storage.ArchiveFactory;
import rag.storage.StorageConfig;
import rag.storage.embed.CachingEmbedder;
import rag.storage.embed.Embedder;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.embed.TokenCounter;
import rag.storage.model.Document;
import rag.storage.model.SearchFilter;

/**
 * Query benchmark (issue 4): over a collection of at least 10M tokens (the essays and books of ../shared/corpora,
 * repeated; see {@link QueryCollection}) in a scratch embedded archive, (1) retrieval and planning latency of the
 * SciFact test claims through {@link QueryPipeline#plan} in retrieve mode with the qwen3 profile (query embedding
 * timed apart), then the assembly of that plan's prompt; (2) stuffing: a stuff-mode plan over about 1M and about
 * 10M tokens with the llama4-scout profile, its prompt assembled and streamed to a counting sink, timed (median of
 * runs) with peak heap against the text's size. No model is called. Run with {@code scripts/bench-query.sh}.
 * {@code --keep} leaves the scratch archive in place (its folder is printed); {@code --archive=DIR --stuff-only} opens
 * such an archive and runs only the stuffing, neither building nor embedding anything: with a small {@code -Xmx}, a
 * proof that the assembly fits in that heap.
 */
public final class QueryBenchmark {
  static final String COLLECTION = "query-bench";
  static final double LATENCY_TARGET_MS = 100;
  static final double ASSEMBLY_TARGET_SECONDS = 5;
  static final double HEAP_TARGET_RATIO = 3;
  static final long LIVE_PROBE_CHARS = 500_000;
  static final ModelProfile QWEN3 = profile("qwen3", 262_144, 4_096, 32_768);
  static final ModelProfile SCOUT = profile("llama4-scout", 10_000_000, 8_192, 131_072);

  /** Latency percentiles in milliseconds. */
  record Summary(double p50, double p95, double p99, double max) {
    static Summary of(Latencies l) {
      return new Summary(l.percentileMillis(50), l.percentileMillis(95), l.percentileMillis(99),
          l.percentileMillis(100));
    }

    String cell() {
      return String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f", p50, p95, p99, max);
    }
  }

  /** One pass of the test queries over a scope, after the warm-up. */
  record LatencyRun(String scope, int queries, Summary embedding, Summary planning, Summary planningWithoutEmbedding,
      Summary assembly, int medianPassages, long medianPromptTokens) {}

  /** A stuffed prompt over a scope: the plan, then the assembly streamed to the sink, timed and watched. */
  record StuffRun(String scope, String profile, long contextWindow, int documentsInScope, long scopeTokens,
      int documentsStuffed, long stuffedTokens, long stuffedUtf8Bytes, long stuffedChars, long promptTokensPlanned,
      double planMillis, long promptChars, long promptUtf8Bytes, List<Double> assemblySeconds,
      double medianAssemblySeconds, long baselineHeapBytes, long peakHeapBytes, long peakHeapAfterGcBytes,
      long allocatedBytes, long liveBaselineBytes, long peakLiveBytes, long peakCommittedBytes, String failure) {
    long peakAboveBaseline() {
      return peakHeapBytes - baselineHeapBytes;
    }

    /** Heap in use at its sampled peak above the baseline, garbage included, per byte of stuffed text. */
    double heapRatio() {
      return peakAboveBaseline() / (double) stuffedUtf8Bytes;
    }

    /** Live heap at its peak (after full collections during the stream) above the baseline, per byte of text. */
    double liveRatio() {
      return (peakLiveBytes - liveBaselineBytes) / (double) stuffedUtf8Bytes;
    }
  }

  record Result(String conditions, QueryCollection.Stats collection, long distinctTextsEmbedded, long modelMillis,
      double optimizeSeconds, List<LatencyRun> latency, List<StuffRun> stuffing) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = Args.parse(args);
    Path corpora = Path.of(opts.getOrDefault("corpora", "../shared/corpora"));
    Path dataset = Path.of(opts.getOrDefault("dataset", corpora.resolve("scifact").toString()));
    long minTokens = Long.parseLong(opts.getOrDefault("tokens", "10000000"));
    long smallScopeTokens = Long.parseLong(opts.getOrDefault("small-scope-tokens", "1000000"));
    long wideWindow = Long.parseLong(opts.getOrDefault("stuff-window", "16000000"));
    InProcessModel modelId = InProcessModel.byId(opts.getOrDefault("model", "all-minilm-l6-v2-q"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "30"));
    int runs = Integer.parseInt(opts.getOrDefault("runs", "3"));
    Path scratchDir = opts.containsKey("scratch") ? Path.of(opts.get("scratch")) : null;
    Path cache = opts.containsKey("cache") ? Path.of(opts.get("cache")) : null;
    Path results = Path.of(opts.getOrDefault("results", "bench/results"));
    String commit = opts.getOrDefault("commit", "unknown");
    boolean keep = opts.containsKey("keep");
    Path archiveDir = opts.containsKey("archive") ? Path.of(opts.get("archive")) : null;
    boolean stuffOnly = opts.containsKey("stuff-only");
    if (stuffOnly != (archiveDir != null)) {
      throw new IllegalArgumentException("--stuff-only and --archive=DIR go together: the stuffing over a kept archive");
    }

    List<BeirQuery> test = BeirLoader.load(dataset, "test").queries();
    Set<String> testIds = new HashSet<>(test.stream().map(BeirQuery::id).toList());
    List<BeirQuery> warm = BeirLoader.load(dataset, "train").queries().stream()
        .filter(q -> !testIds.contains(q.id())).limit(warmup).toList();
    ModelProfile wide = profile(SCOUT.name() + "-" + wideWindow / 1_000_000 + "m", wideWindow, SCOUT.answerReserve(),
        SCOUT.retrievalBudget());
    TokenCounter counter = JTokkitTokenCounter.cl100k();
    long start = System.nanoTime();
    Result result;
    Path keptDir = null;
    // the ONNX model loads on its first text: --stuff-only never gets there
    try (MachineLoad load = new MachineLoad(); HeapWatch heap = new HeapWatch();
        OnnxEmbedder onnx = new OnnxEmbedder(modelId, Runtime.getRuntime().availableProcessors());
        Archive cacheStore = cache == null || stuffOnly ? null : ArchiveFactory.open(StorageConfig.embedded(cache),
            onnx.dimension(), onnx.modelName());
        ScratchArchive scratch = stuffOnly ? null
            : ScratchArchive.open(scratchDir, onnx.dimension(), onnx.modelName());
        Archive kept = stuffOnly ? ArchiveFactory.open(StorageConfig.embedded(archiveDir), onnx.dimension(),
            onnx.modelName()) : null) {
      Archive archive = stuffOnly ? kept : scratch.archive();
      Path dir = stuffOnly ? archiveDir : scratch.dir();
      SearchFilter all = SearchFilter.collection(COLLECTION);
      // model: what the model itself embedded; corpus: the chunks' path (through the vector cache if any)
      MemoizingEmbedder model = new MemoizingEmbedder(onnx);
      QueryCollection.Stats collection;
      if (stuffOnly) {
        List<Document> docs = ScopeDocuments.list(archive.reader(), all);
        collection = QueryCollection.stats(docs, chars(docs, corpora));
      } else {
        Embedder corpus = new MemoizingEmbedder(cacheStore == null ? model
            : new CachingEmbedder(model, cacheStore.embeddingCache()));
        collection = QueryCollection.build(new TextIndexer(archive,
            Chunkers.byFormat(ChunkingConfig.DEFAULT, counter), corpus, COLLECTION), corpora, minTokens);
      }
      System.err.printf("collection: %s; the model embedded %,d distinct chunk texts in %,d ms%n", collection,
          model.embeddedTexts(), model.embeddingMillis());
      if (keep && !stuffOnly) {
        scratch.keep();
        keptDir = dir;
      }

      // the service's query objects, as QueryWiring builds them; questions go to the model itself, as in the service
      QuestionTimer questions = new QuestionTimer(onnx);
      HybridRetriever retriever = new HybridRetriever(archive, questions, 60, 0.9);
      Planner planner = Planner.builder(archive.reader(), counter).retriever(retriever)
          .calibration(new ServerTokenCalibration(new OpenAiTokenizeClient(), counter)).build();
      QueryPipeline pipeline = new QueryPipeline(archive.reader(), new ModelProfiles(List.of(QWEN3, SCOUT, wide),
          QWEN3.name()), planner, retriever, null); // plan and prompt never call the model client

      SearchFilter oneCopy = new SearchFilter(COLLECTION, Set.of(), Set.of(), QueryCollection.copyPrefix(1));
      List<LatencyRun> latency = new ArrayList<>();
      double optimizeSeconds = 0;
      if (!stuffOnly) {
        latency.add(latency(pipeline, questions, "whole collection, as loaded", all, warm, test));
        long o = System.nanoTime();
        System.err.println("optimize: " + archive.optimize());
        optimizeSeconds = (System.nanoTime() - o) / 1e9;
        latency.add(latency(pipeline, questions, "whole collection, after optimize", all, warm, test));
        latency.add(latency(pipeline, questions, "one copy (" + oneCopy.pathPrefix()
            + " path prefix), after optimize", oneCopy, warm, test));
      }

      List<Document> copyOne = ScopeDocuments.list(archive.reader(), oneCopy);
      Set<String> small = new HashSet<>();
      long smallTokens = 0;
      for (Document d : copyOne) { // greedy, in source-path order: a book and essays
        if (smallTokens + d.tokenCount() <= smallScopeTokens) {
          small.add(d.id());
          smallTokens += d.tokenCount();
        }
      }
      SearchFilter smallScope = new SearchFilter(COLLECTION, small, Set.of(), null);
      String question = test.get(0).text();
      List<StuffRun> stuffing = new ArrayList<>();
      stuffing.add(stuff(pipeline, heap, String.format(Locale.ROOT, "%d documents of copy 01 (documentIds)",
          small.size()), smallScope, SCOUT, question, runs, corpora));
      stuffing.add(stuff(pipeline, heap, "whole collection", all, SCOUT, question, runs, corpora));
      stuffing.add(stuff(pipeline, heap, "whole collection", all, wide, question, runs, corpora));

      String conditions = String.format(Locale.ROOT, "%s, commit %s, %d cores, Java %s, max heap %,d MiB (%s);"
          + " machine load average %s; collection of %d copies of %s in %s%s; chunks 400/50 (cl100k); embedding"
          + " model %s", LocalDateTime.now().withNano(0), commit, Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, collectors(), load.summary(),
          collection.copies(), corpora.resolve("{" + String.join(",", QueryCollection.FOLDERS) + "}"), dir,
          stuffOnly ? " (opened, not built: stuffing only)" : keep ? " (kept)" : "", modelId.id());
      result = new Result(conditions, collection, model.embeddedTexts(), model.embeddingMillis(), optimizeSeconds,
          latency, stuffing);
    }
    String report = report(result, (System.nanoTime() - start) / 1e9);
    System.out.println(report);
    BenchOutput out = new BenchOutput(results, stuffOnly ? "query-stuff" : "query");
    out.writeJson(result);
    Path md = out.write("md", "Query benchmark. " + result.conditions() + ".\n\nCommand: `scripts/bench-query.sh "
        + String.join(" ", args) + "`\n\n" + report);
    System.err.println("wrote " + md);
    if (keptDir != null) {
      System.err.println("kept archive: " + keptDir);
    }
  }

  private static String collectors() {
    return String.join(", ", ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).toList());
  }

  /** Warm-up queries, then every test query: plan (retrieve mode, qwen3), then its prompt streamed to a sink. */
  static LatencyRun latency(QueryPipeline pipeline, QuestionTimer questions, String name, SearchFilter scope,
      List<BeirQuery> warm, List<BeirQuery> test) throws IOException {
    for (BeirQuery q : warm) {
      plan(pipeline, q.text(), scope, QWEN3, Mode.RETRIEVE);
    }
    Latencies embedding = new Latencies();
    Latencies planning = new Latencies();
    Latencies withoutEmbedding = new Latencies();
    Latencies assembly = new Latencies();
    int[] passages = new int[test.size()];
    long[] promptTokens = new long[test.size()];
    for (int i = 0; i < test.size(); i++) {
      String question = test.get(i).text();
      long t0 = System.nanoTime();
      Plan plan = plan(pipeline, question, scope, QWEN3, Mode.RETRIEVE);
      long t1 = System.nanoTime();
      stream(pipeline.prompt(plan, question, null), new PromptSink());
      long t2 = System.nanoTime();
      embedding.add(questions.lastNanos());
      planning.add(t1 - t0);
      withoutEmbedding.add(t1 - t0 - questions.lastNanos());
      assembly.add(t2 - t1);
      passages[i] = plan.passages().size();
      promptTokens[i] = plan.promptTokens();
    }
    Arrays.sort(passages);
    Arrays.sort(promptTokens);
    LatencyRun run = new LatencyRun(name, test.size(), Summary.of(embedding), Summary.of(planning),
        Summary.of(withoutEmbedding), Summary.of(assembly), passages[passages.length / 2],
        promptTokens[promptTokens.length / 2]);
    System.err.println(run);
    return run;
  }

  /**
   * A stuff-mode plan over the scope, then {@code runs} times: a collection, the heap in use as the baseline, the
   * prompt assembled and streamed to a sink while {@link HeapWatch} samples the heap. An OutOfMemoryError while
   * streaming (a capped heap) ends the case and is reported as its failure.
   */
  static StuffRun stuff(QueryPipeline pipeline, HeapWatch heap, String name, SearchFilter scope,
      ModelProfile profile, String question, int runs, Path corpora) throws Exception {
    long p0 = System.nanoTime();
    Plan plan = plan(pipeline, question, scope, profile, Mode.STUFF);
    double planMillis = (System.nanoTime() - p0) / 1e6;
    long tokens = plan.documents().stream().mapToLong(Document::tokenCount).sum();
    long bytes = plan.documents().stream().mapToLong(Document::sizeBytes).sum();
    List<Double> seconds = new ArrayList<>();
    PromptSink sink = null;
    long baseline = Long.MAX_VALUE;
    long peak = 0;
    long peakAfterGc = 0;
    long allocated = 0;
    long committed = 0;
    long liveBaseline = 0;
    PromptSink probe = new PromptSink(LIVE_PROBE_CHARS);
    String failure = null;
    long stuffedChars = chars(plan.documents(), corpora);
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    try {
      for (int r = 0; r < runs; r++) {
        System.gc();
        Thread.sleep(200);
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        heap.reset();
        long a0 = threads.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        failure = "OutOfMemoryError in timed run " + (r + 1);
        PromptSink streamed = new PromptSink();
        stream(pipeline.prompt(plan, question, null), streamed);
        sink = streamed;
        seconds.add((System.nanoTime() - t0) / 1e9);
        allocated = Math.max(allocated, threads.getCurrentThreadAllocatedBytes() - a0);
        HeapWatch.Peak p = heap.peak();
        committed = Math.max(committed, heap.peakCommitted());
        if (p.usedBytes() - used > peak - baseline) {
          baseline = used;
          peak = p.usedBytes();
          peakAfterGc = p.afterGcBytes();
        }
      }
      // untimed: the live heap, with a full collection every LIVE_PROBE_CHARS chars streamed
      System.gc();
      liveBaseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      failure = "OutOfMemoryError in the live-heap run";
      stream(pipeline.prompt(plan, question, null), probe);
      failure = null;
    } catch (OutOfMemoryError e) {
      failure += ": " + e.getMessage();
    }
    double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    StuffRun run = new StuffRun(name, profile.name(), profile.contextWindow(), plan.documentsInScope(),
        plan.corpusTokens(), plan.documents().size(), tokens, bytes, stuffedChars, plan.promptTokens(), planMillis,
        sink == null ? 0 : sink.chars(), sink == null ? 0 : sink.utf8Bytes(), seconds,
        sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2], baseline, peak, peakAfterGc, allocated,
        liveBaseline, probe.peakLiveBytes(), committed, failure);
    System.err.println(run);
    return run;
  }

  static Plan plan(QueryPipeline pipeline, String question, SearchFilter scope, ModelProfile profile, Mode mode) {
    return pipeline.plan(new QueryRequest(question, scope, profile.name(), mode, null), null);
  }

  /** As the service sends a prompt: each message's text written out piece by piece, never held as one String. */
  static void stream(AssembledPrompt prompt, Appendable sink) throws IOException {
    for (PromptMessage m : prompt.messages()) {
      m.content().writeTo(sink);
    }
  }

  /** The stuffed documents' text in chars, read back from the source files (copies share their source). */
  private static long chars(List<Document> documents, Path corpora) throws IOException {
    Map<String, Long> bySource = new LinkedHashMap<>();
    long sum = 0;
    for (Document d : documents) {
      String source = d.sourcePath().substring(d.sourcePath().indexOf('/') + 1);
      Long n = bySource.get(source);
      if (n == null) {
        long count = 0;
        try (Reader in = Files.newBufferedReader(corpora.resolve(source))) {
          // counted a buffer at a time: a whole book as one String would weigh on a capped heap
          char[] buffer = new char[8192];
          for (int read; (read = in.read(buffer)) > 0; ) {
            count += read;
          }
        }
        n = count;
        bySource.put(source, n);
      }
      sum += n;
    }
    return sum;
  }

  static ModelProfile profile(String name, long window, int reserve, long budget) {
    return new ModelProfile(name, null, null, null, window, reserve, "cl100k_base", null, null, budget);
  }

  static String report(Result r, double seconds) {
    QueryCollection.Stats c = r.collection();
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "Collection: %d copies, %,d documents, %,d chunks, %,d tokens (stored cl100k"
        + " counts), text %,d UTF-8 bytes (%,d chars); ", c.copies(), c.documents(), c.chunks(), c.tokens(),
        c.utf8Bytes(), c.chars()));
    if (r.latency().isEmpty()) {
      t.append(String.format(Locale.ROOT, "opened as built by an earlier run, stuffing only. Max heap %,d MiB. Whole"
          + " run %.0f s.%n%n", Runtime.getRuntime().maxMemory() >> 20, seconds));
    } else {
      t.append(String.format(Locale.ROOT, "built in %.1f s through Archive.write and the vector store; the model"
          + " embedded %,d distinct chunk texts in %.1f s (the rest came from memory or the vector cache); optimize"
          + " (force-merge) took %.1f s. Whole run %.0f s.%n%n", c.seconds(), r.distinctTextsEmbedded(),
          r.modelMillis() / 1000.0, r.optimizeSeconds(), seconds));
      latencyTable(t, r.latency());
    }
    stuffTable(t, r.stuffing());
    t.append('\n');
    for (LatencyRun l : r.latency()) {
      t.append(check("retrieval + planning p95 <= " + LATENCY_TARGET_MS + " ms, " + l.scope(), l.planning().p95()
          <= LATENCY_TARGET_MS, String.format(Locale.ROOT, "%.1f ms with the query embedding, %.1f ms without",
          l.planning().p95(), l.planningWithoutEmbedding().p95())));
    }
    for (StuffRun s : r.stuffing()) {
      String what = String.format(Locale.ROOT, "%s, %,d tokens stuffed", s.scope(), s.stuffedTokens());
      if (s.failure() != null) {
        t.append(check("stuffed assembly, " + what, false, s.failure()));
        continue;
      }
      t.append(check("stuffed assembly <= " + ASSEMBLY_TARGET_SECONDS + " s, " + what, s.medianAssemblySeconds()
          <= ASSEMBLY_TARGET_SECONDS, String.format(Locale.ROOT, "%.2f s", s.medianAssemblySeconds())));
      t.append(check("peak heap <= " + HEAP_TARGET_RATIO + "x the text (live heap), " + what,
          s.liveRatio() <= HEAP_TARGET_RATIO, String.format(Locale.ROOT, "live %.2fx; sampled with garbage %.2fx",
              s.liveRatio(), s.heapRatio())));
    }
    return t.toString();
  }

  private static void latencyTable(StringBuilder t, List<LatencyRun> latency) {
    t.append("Retrieve mode, qwen3 profile (window 262,144, answer reserve 4,096, retrieval budget 32,768), SciFact"
        + " test claims, after a warm-up; ms as p50 / p95 / p99 / max. \"Retrieval + planning\" is"
        + " `QueryPipeline.plan`: query embedding, BM25 and kNN (100 candidates each), fusion, near-duplicates,"
        + " packing.\n\n");
    t.append("| scope | queries | query embedding | retrieval + planning (with embedding) | without embedding"
        + " | prompt assembly, streamed | passages, prompt tokens (median) |\n|---|---|---|---|---|---|---|\n");
    for (LatencyRun l : latency) {
      t.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %d, %,d |%n", l.scope(), l.queries(),
          l.embedding().cell(), l.planning().cell(), l.planningWithoutEmbedding().cell(), l.assembly().cell(),
          l.medianPassages(), l.medianPromptTokens()));
    }
    t.append('\n');
  }

  private static void stuffTable(StringBuilder t, List<StuffRun> stuffing) {
    t.append("Stuff mode: the plan, then the prompt assembled and streamed to a counting sink (assembly time: the"
        + " median of the timed runs). Heap, against the stuffed documents' text in UTF-8 bytes: \"sampled\" is the"
        + " peak heap in use sampled every 10 ms during a timed run above the heap in use after a collection just"
        + " before it (includes garbage not yet collected, so it follows the young generation's size), with the"
        + " absolute peak; \"live\" is the peak heap in use right after full collections run every "
        + String.format(Locale.ROOT, "%,d", LIVE_PROBE_CHARS) + " chars of a separate, untimed stream, above the"
        + " same kind of baseline; \"allocated\" is what the assembling thread allocated in one run; \"committed\" is"
        + " the highest heap committed sampled during the timed runs.\n\n");
    t.append("| scope | profile (window) | documents stuffed / in scope | tokens stuffed | text MB (UTF-8) | plan ms"
        + " | prompt MB streamed | assembly s (runs) | heap baseline MiB | sampled peak above baseline MiB (x text)"
        + " | absolute peak MiB | live peak above baseline MiB (x text) | allocated MiB | committed MiB |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (StuffRun s : stuffing) {
      if (s.failure() != null) {
        t.append(String.format(Locale.ROOT, "| %s | %s (%,d) | %,d / %,d | %,d | %.1f | %.0f | | **%s** (completed"
            + " runs: %s) | | | | | | |%n", s.scope(), s.profile(), s.contextWindow(), s.documentsStuffed(),
            s.documentsInScope(), s.stuffedTokens(), s.stuffedUtf8Bytes() / 1e6, s.planMillis(), s.failure(),
            s.assemblySeconds().isEmpty() ? "none" : String.join(", ", s.assemblySeconds().stream()
                .map(x -> String.format(Locale.ROOT, "%.2f", x)).toList())));
        continue;
      }
      t.append(String.format(Locale.ROOT, "| %s | %s (%,d) | %,d / %,d | %,d | %.1f | %.0f | %.1f | %.2f (%s) | %.0f"
          + " | %.0f (%.2f) | %.0f | %.1f (%.2f) | %.0f | %.0f |%n", s.scope(), s.profile(), s.contextWindow(),
          s.documentsStuffed(), s.documentsInScope(), s.stuffedTokens(), s.stuffedUtf8Bytes() / 1e6, s.planMillis(),
          s.promptUtf8Bytes() / 1e6, s.medianAssemblySeconds(), String.join(", ", s.assemblySeconds().stream()
              .map(x -> String.format(Locale.ROOT, "%.2f", x)).toList()), s.baselineHeapBytes() / 1048576.0,
          s.peakAboveBaseline() / 1048576.0, s.heapRatio(), s.peakHeapBytes() / 1048576.0,
          (s.peakLiveBytes() - s.liveBaselineBytes()) / 1048576.0, s.liveRatio(), s.allocatedBytes() / 1048576.0,
          s.peakCommittedBytes() / 1048576.0));
    }
  }

  private static String check(String target, boolean met, String value) {
    return String.format(Locale.ROOT, "- target %s: %s (%s)%n", target, met ? "met" : "MISSED", value);
  }

  /** The model for questions, timing each call: the retriever embeds each question once per plan. */
  static final class QuestionTimer implements Embedder {
    private final Embedder delegate;
    private long lastNanos;

    QuestionTimer(Embedder delegate) {
      this.delegate = delegate;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      return delegate.embed(texts);
    }

    @Override
    public float[] embedQuery(String question) {
      long t0 = System.nanoTime();
      try {
        return delegate.embedQuery(question);
      } finally {
        lastNanos = System.nanoTime() - t0;
      }
    }

    long lastNanos() {
      return lastNanos;
    }

    @Override
    public int dimension() {
      return delegate.dimension();
    }

    @Override
    public String modelName() {
      return delegate.modelName();
    }
  }
}
