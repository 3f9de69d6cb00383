package rag.bench;

import dev.langchain4j.model.embedding.EmbeddingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import rag.ingest.intake.Upload;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobFile;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.Chunk;
import rag.storage.model.ScoredChunk;
import rag.storage.model.SearchFilter;

/**
 * Ingestion benchmark (issue: ingestion). In one run, on the same files: (a) per format, parsing,
 * chunking and the lexical index with the embedder held back, then embedding alone; (b) the raw
 * embedder on the same chunk texts, with every core, one thread, and LangChain4j's defaults; (c) the
 * whole pipeline on all formats at once, as the service runs it, against (b); (d) a 10 MB text upload
 * from the 202 to searchable and to done; (e) LangChain4j Easy RAG on the same folders. Every
 * pipeline run starts on a fresh data directory (cold embedding cache) in a warm JVM. Run with
 * {@code scripts/bench-ingest.sh} (see docs/benchmarks.md).
 */
public final class IngestBenchmark {
  static final List<String> DEFAULT_FORMATS = List.of("pdf", "transcript", "essay", "code");
  private static final long AWAIT_LIMIT_NANOS = 3L * 3600 * 1_000_000_000L;

  /** The run's options. */
  record Settings(Path corpora, Path code, String codeName, List<String> formats, int repeat, boolean quick,
      boolean easyRag, InProcessModel model, int threads, Path work, Path results, int sample, long uploadBytes,
      String commit) {}

  /** One format ingested with the embedder held back until every file was searchable. */
  record FormatRun(String format, JobNumbers job, double parseWorkerSeconds, double chunkWorkerSeconds,
      double embedSeconds, MeteredEmbedder.Reading embedding, double upsertSeconds, double parseCores,
      double embedCores, HeapWatch.Peak parseHeap, HeapWatch.Peak embedHeap) {}

  /** All formats in one job, nothing held back. */
  record PipelineRun(JobNumbers job, MeteredEmbedder.Reading embedding, double firstEmbedSeconds,
      double upsertSeconds, double cores, HeapWatch.Peak heap) {}

  /** The 10 MB upload. */
  record UploadRun(JobNumbers job, double parseSeconds, double chunkSeconds, boolean waitedForDone, double cores,
      HeapWatch.Peak heap) {}

  /** Everything one repetition measured. */
  record Rep(List<FormatRun> formats, PipelineRun pipeline, List<EmbedderThroughput.Result> embedders,
      List<ModelTokens.Lengths> lengths, UploadRun upload, List<EasyRagBaseline.Result> easyRag, List<String> checks) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = Args.parse(args);
    boolean quick = Boolean.parseBoolean(o.getOrDefault("quick", "false"));
    String modelName = o.getOrDefault("model", "bge");
    InProcessModel model = switch (modelName) {
      case "bge" -> InProcessModel.BGE_SMALL_EN_V15_Q;
      case "minilm" -> InProcessModel.ALL_MINILM_L6_V2_Q;
      default -> InProcessModel.byId(modelName);
    };
    Settings s = new Settings(Path.of(o.getOrDefault("corpora", "../shared/corpora")),
        Path.of(o.getOrDefault("code", "bench/target/code/src")), o.getOrDefault("code-name", "Java sources"),
        Arrays.asList(o.getOrDefault("formats", String.join(",", DEFAULT_FORMATS)).split(",")),
        Integer.parseInt(o.getOrDefault("repeat", "1")), quick, !Boolean.parseBoolean(o.getOrDefault("skip-easyrag",
        "false")), model, Runtime.getRuntime().availableProcessors(),
        Path.of(o.getOrDefault("work", quick ? "bench/target/ingest-bench-quick" : "bench/target/ingest-bench")), Path.of(o.getOrDefault("results", "bench/results")),
        Integer.parseInt(o.getOrDefault("sample", quick ? "64" : "1000")),
        Long.parseLong(o.getOrDefault("upload-bytes", Long.toString(10L << 20))), o.getOrDefault("commit", "unknown"));
    List<IngestInputs.Format> formats = IngestInputs.formats(s.corpora(), s.code()).stream()
        .filter(f -> s.formats().contains(f.name())).toList();
    if (formats.size() != s.formats().size()) {
      throw new IllegalArgumentException("unknown format in " + s.formats() + ", known: "
          + IngestInputs.formats(s.corpora(), s.code()).stream().map(IngestInputs.Format::name).toList());
    }
    Path input = s.work().resolve("input");
    Map<String, Path> folders = IngestInputs.prepare(formats, input, quick ? 3 : 0);
    if ("embedders".equals(o.get("only"))) {
      EmbedderComparison.alone(s, input);
      return;
    }
    Map<String, Path> warmUp = IngestInputs.prepare(formats, s.work().resolve("warm-up"), 1);
    Path uploadFile = s.work().resolve("upload/upload.txt");
    String lastLine = IngestInputs.uploadText(s.corpora(), s.uploadBytes(), uploadFile);
    long started = System.nanoTime();
    List<Rep> reps = new ArrayList<>();
    String load;
    try (OnnxEmbedder onnx = new OnnxEmbedder(s.model(), s.threads()); HeapWatch heap = new HeapWatch();
        MachineLoad machine = new MachineLoad()) {
      EmbeddingModel lc4jDefault = EmbedderComparison.lc4jDefault(s.model());
      warmUp(s, onnx, lc4jDefault, warmUp, heap);
      for (int r = 0; r < s.repeat(); r++) {
        reps.add(rep(s, r, onnx, lc4jDefault, folders, input, uploadFile, lastLine, heap));
      }
      load = machine.summary();
    }
    String report = IngestReport.render(s, reps, load, (System.nanoTime() - started) / 6e10);
    System.out.println(report);
    Files.createDirectories(s.results());
    Path out = s.results().resolve("ingest-" + (quick ? "quick-" : "")
        + LocalDateTime.now().withNano(0).toString().replace(':', '-') + ".md");
    Files.writeString(out, report);
    System.err.println("written to " + out);
    System.exit(0); // LangChain4j's default embedding executor keeps non-daemon threads alive for a while
  }

  /** Loads the models, Tika and the chunkers once, so that the first measured format does not pay for it. */
  private static void warmUp(Settings s, OnnxEmbedder onnx, EmbeddingModel lc4jDefault, Map<String, Path> warmUp,
      HeapWatch heap) throws Exception {
    System.err.println("warm-up: one small file per format through the pipeline and Easy RAG");
    Path dir = s.work().resolve("data/warm-up");
    try (ServicePipeline p = new ServicePipeline(dir, onnx)) {
      for (Map.Entry<String, Path> e : warmUp.entrySet()) {
        IngestJob job = p.service().submitLocalFolder(e.getKey(), e.getValue());
        await(() -> p.clock().finished(job.id()), p.clock(), job.id(), "warm-up " + e.getKey());
      }
    }
    StorageBenchmark.deleteTree(dir);
    if (s.easyRag()) {
      for (Map.Entry<String, Path> e : warmUp.entrySet()) {
        EasyRagBaseline.ingest(e.getKey(), e.getValue(), lc4jDefault, heap);
      }
    }
  }

  private static Rep rep(Settings s, int r, OnnxEmbedder onnx, EmbeddingModel lc4jDefault, Map<String, Path> folders,
      Path input, Path uploadFile, String lastLine, HeapWatch heap) throws Exception {
    List<String> checks = new ArrayList<>();
    Path data = s.work().resolve("data/rep-" + r);
    List<FormatRun> formatRuns = new ArrayList<>();
    for (Map.Entry<String, Path> e : folders.entrySet()) {
      formatRuns.add(heldBack(e.getKey(), e.getValue(), onnx, heap, data.resolve(e.getKey()), checks));
    }
    Map<String, List<String>> textsByFormat = new TreeMap<>();
    PipelineRun pipeline = wholePipeline(input, onnx, heap, data.resolve("all"), textsByFormat, checks);
    List<EmbedderThroughput.Result> embedders = EmbedderComparison.run(s, onnx, lc4jDefault, textsByFormat, true);
    List<ModelTokens.Lengths> lengths = EmbedderComparison.lengths(s, textsByFormat);

    UploadRun upload = upload(s, onnx, heap, data.resolve("upload"), uploadFile, lastLine, checks);
    List<EasyRagBaseline.Result> easyRag = new ArrayList<>();
    if (s.easyRag()) {
      for (Map.Entry<String, Path> e : folders.entrySet()) {
        easyRag.add(EasyRagBaseline.ingest(e.getKey(), e.getValue(), lc4jDefault, heap));
      }
    }
    StorageBenchmark.deleteTree(data);
    return new Rep(formatRuns, pipeline, embedders, lengths, upload, easyRag, checks);
  }

  /** (a) One format: the embedder is held back until every file is searchable, then released. */
  private static FormatRun heldBack(String format, Path folder, OnnxEmbedder onnx, HeapWatch heap, Path dir,
      List<String> checks) throws Exception {
    System.err.println("format " + format + ": parse, chunk, lexical index (embedding held back)");
    try (ServicePipeline p = new ServicePipeline(dir, onnx)) {
      p.embedder().close();
      heap.reset();
      long cpu0 = ProcessCpu.nanos();
      long t0 = System.nanoTime();
      IngestJob job = p.service().submitLocalFolder(format, folder);
      long t1 = System.nanoTime();
      await(() -> p.clock().pastParsing(job.id()), p.clock(), job.id(), format + " parsing");
      double parseCores = ProcessCpu.cores(ProcessCpu.nanos() - cpu0, System.nanoTime() - t0);
      HeapWatch.Peak parseHeap = heap.peak();
      double parseWorker = p.parsing().seconds();
      double chunkWorker = p.chunking().seconds();
      System.err.println("format " + format + ": embedding");
      heap.reset();
      p.embedder().reset();
      long cpu2 = ProcessCpu.nanos();
      long t2 = System.nanoTime();
      p.embedder().open();
      await(() -> p.clock().finished(job.id()), p.clock(), job.id(), format + " embedding");
      double embedCores = ProcessCpu.cores(ProcessCpu.nanos() - cpu2, System.nanoTime() - t2);
      JobNumbers numbers = JobNumbers.of(p.clock(), job.id(), t0, t1);
      double embedSeconds = numbers.finishedSeconds() - (t2 - t0) / 1e9;
      check(checks, format, p, numbers);
      return new FormatRun(format, numbers, parseWorker, chunkWorker, embedSeconds, p.embedder().reading(),
          p.vectors().upsertSeconds(), parseCores, embedCores, parseHeap, heap.peak());
    } finally {
      StorageBenchmark.deleteTree(dir);
    }
  }

  /** (c) Every format in one job, as the service runs it; collects the chunk texts by format for (b). */
  private static PipelineRun wholePipeline(Path input, OnnxEmbedder onnx, HeapWatch heap, Path dir,
      Map<String, List<String>> texts, List<String> checks) throws Exception {
    System.err.println("whole pipeline: all formats in one job");
    try (ServicePipeline p = new ServicePipeline(dir, onnx)) {
      heap.reset();
      long cpu0 = ProcessCpu.nanos();
      long t0 = System.nanoTime();
      IngestJob job = p.service().submitLocalFolder("all", input);
      long t1 = System.nanoTime();
      await(() -> p.clock().finished(job.id()), p.clock(), job.id(), "whole pipeline");
      double cores = ProcessCpu.cores(ProcessCpu.nanos() - cpu0, System.nanoTime() - t0);
      HeapWatch.Peak peak = heap.peak();
      JobNumbers numbers = JobNumbers.of(p.clock(), job.id(), t0, t1);
      MeteredEmbedder.Reading reading = p.embedder().reading();
      check(checks, "whole pipeline", p, numbers);
      for (StatusClock.Track t : p.clock().tracks(job.id())) {
        JobFile f = t.latest();
        if (f.documentId() != null && f.status() != FileStatus.FAILED) {
          String format = f.sourcePath().substring(0, f.sourcePath().indexOf('/'));
          p.archive().reader().chunks(f.documentId()).stream().map(Chunk::text)
              .forEach(text -> texts.computeIfAbsent(format, k -> new ArrayList<>()).add(text));
        }
      }
      long read = texts.values().stream().mapToLong(List::size).sum();
      if (read != numbers.chunks()) {
        checks.add("FAILED: the catalog holds " + read + " chunks, the job reported " + numbers.chunks());
      }
      return new PipelineRun(numbers, reading, (reading.firstCallAt() - t0) / 1e9, p.vectors().upsertSeconds(), cores,
          peak);
    } finally {
      StorageBenchmark.deleteTree(dir);
    }
  }

  /** (d) The 10 MB text through {@code submit}, as the upload endpoint calls it. */
  private static UploadRun upload(Settings s, OnnxEmbedder onnx, HeapWatch heap, Path dir, Path file,
      String lastLine, List<String> checks) throws Exception {
    System.err.println("upload: " + Files.size(file) + " bytes of text");
    try (ServicePipeline p = new ServicePipeline(dir, onnx)) {
      heap.reset();
      long cpu0 = ProcessCpu.nanos();
      long t0 = System.nanoTime();
      IngestJob job = p.service().submit("upload", List.of(new Upload(file.getFileName().toString(), null, file)));
      long t1 = System.nanoTime();
      await(() -> p.clock().pastParsing(job.id()), p.clock(), job.id(), "upload parsing");
      double parseSeconds = p.parsing().seconds();
      double chunkSeconds = p.chunking().seconds();
      String documentId = p.clock().tracks(job.id()).get(0).latest().documentId();
      List<ScoredChunk> hits = p.archive().lexicalSearch(new LexicalQuery(lastLine, SearchFilter.collection("upload"),
          3));
      boolean found = !hits.isEmpty() && hits.get(0).chunk().documentId().equals(documentId);
      checks.add((found ? "ok" : "FAILED") + ": the upload's last line is found by BM25 once it is searchable");
      if (!s.quick()) {
        await(() -> p.clock().finished(job.id()), p.clock(), job.id(), "upload embedding");
      } else {
        System.err.println("quick mode: the upload's embedding is cut short, an InterruptedException logged next is"
            + " expected");
      }
      double cores = ProcessCpu.cores(ProcessCpu.nanos() - cpu0, System.nanoTime() - t0);
      JobNumbers numbers = JobNumbers.of(p.clock(), job.id(), t0, t1);
      if (!s.quick()) {
        check(checks, "upload", p, numbers);
      }
      return new UploadRun(numbers, parseSeconds, chunkSeconds, !s.quick(), cores, heap.peak());
    } finally {
      StorageBenchmark.deleteTree(dir);
    }
  }

  /** Every chunk of every finished document has its vector. */
  private static void check(List<String> checks, String what, ServicePipeline p, JobNumbers numbers) {
    long vectors = p.archive().internals().vectors().vectorCount();
    boolean ok = vectors == numbers.chunks() && numbers.done() + numbers.failed() == numbers.files();
    checks.add(String.format("%s: %s: %d of %d files done, %d failed; %d chunks, %d vectors", ok ? "ok" : "FAILED",
        what, numbers.done(), numbers.files(), numbers.failed(), numbers.chunks(), vectors));
  }

  private static void await(BooleanSupplier condition, StatusClock clock, String jobId, String what)
      throws InterruptedException {
    long start = System.nanoTime();
    long lastReport = start;
    while (!condition.getAsBoolean()) {
      Thread.sleep(5);
      long now = System.nanoTime();
      if (now - lastReport > 30_000_000_000L) {
        lastReport = now;
        long finished = clock.tracks(jobId).stream().filter(t -> t.latest().status().isFinal()).count();
        System.err.printf("  %s: %.0f s, %d of %d files finished%n", what, (now - start) / 1e9, finished,
            clock.tracks(jobId).size());
      }
      if (now - start > AWAIT_LIMIT_NANOS) {
        throw new IllegalStateException(what + " did not finish within 3 hours");
      }
    }
  }

  private IngestBenchmark() {}
}
