package rag.bench;

import java.time.LocalDateTime;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Renders the ingestion benchmark's repetitions as Markdown: medians where repeated, and the conditions. */
final class IngestReport {
  private IngestReport() {}

  static String render(IngestBenchmark.Settings s, List<IngestBenchmark.Rep> reps, String load, double minutes) {
    StringBuilder out = new StringBuilder();
    IngestBenchmark.Rep first = reps.get(0);
    out.append(String.format("# Ingestion benchmark, %s%s%n%n", LocalDateTime.now().withNano(0),
        s.quick() ? " (quick mode: the 3 smallest files per format; not for comparisons)" : ""));
    out.append(String.format("Commit %s. %d cores, shared with other work (1-minute load average during the run: %s;"
        + " the \"cores\" columns are the CPU this JVM got, out of %d);"
        + " Java %s, max heap %d MiB. Model %s, embedder threads %d. The pipeline as the service builds it with its"
        + " defaults: %d parse workers, one embedding worker, batches of %d, chunks of at most %d cl100k tokens with"
        + " %d overlap, embedded storage (SQLite catalog, Lucene BM25 and HNSW), each run on a fresh data directory"
        + " (cold embedding cache) in a warm JVM (one small file per format went through first). Code: %s."
        + " %d repetition(s)%s; the run took %.1f minutes.%n%n",
        s.commit(), Runtime.getRuntime().availableProcessors(), load, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, s.model().id(), s.threads(),
        ServicePipeline.PARSE_WORKERS, ServicePipeline.EMBED_BATCH, ServicePipeline.CHUNKING.maxTokens(),
        ServicePipeline.CHUNKING.overlapTokens(), s.codeName(), reps.size(), reps.size() > 1 ? ", medians" : "",
        minutes));

    out.append("## (a) Per format: parse + chunk + lexical index, then embedding\n\n");
    out.append("One job per format. The embedder is held back until every file is searchable (so parsing has the"
        + " cores to itself), then released. \"to searchable\" runs from the call to `submitLocalFolder` (intake"
        + " included) to the last file's `searchable`; \"embedding\" from the release to the last file's `done`."
        + " Worker-seconds add up both parse workers. Peak heap: sampled heap in use / heap in use after a"
        + " collection (n/a: no collection in that phase), MiB.\n\n");
    out.append("| format | files (failed) | MB | chunks | tokens | intake s | to searchable s | MB/s | chunks/s"
        + " | in Tika / chunkers, worker-s | embedding s | chunks/s | embedder busy | HNSW upserts s"
        + " | mean batch (1-text calls) | cores: parse ; embed | peak heap: parse ; embed |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < first.formats().size(); i++) {
      final int f = i;
      List<IngestBenchmark.FormatRun> runs = reps.stream().map(r -> r.formats().get(f)).toList();
      IngestBenchmark.FormatRun r = runs.get(0);
      double searchable = med(runs, x -> x.job().searchableSeconds());
      double embed = med(runs, x -> x.embedSeconds());
      out.append(String.format("| %s | %d (%d) | %.2f | %d | %d | %.1f | %.1f | %.2f | %.0f | %.1f / %.1f | %.1f | %.1f"
          + " | %.0f%% | %.1f | %.1f (%d) | %.2f ; %.2f | %s ; %s |%n", r.format(), r.job().files(), r.job().failed(), r.job().megabytes(),
          r.job().chunks(), r.job().tokens(), med(runs, x -> x.job().intakeSeconds()), searchable, r.job().megabytes() / searchable,
          r.job().chunks() / searchable, med(runs, x -> x.parseWorkerSeconds()), med(runs, x -> x.chunkWorkerSeconds()),
          embed, r.job().chunks() / embed, 100 * med(runs, x -> x.embedding().busyNanos() / 1e9 / x.embedSeconds()),
          med(runs, x -> x.upsertSeconds()), r.embedding().meanBatch(), r.embedding().singleTextCalls(),
          med(runs, x -> x.parseCores()), med(runs, x -> x.embedCores()), heap(r.parseHeap()), heap(r.embedHeap())));
    }
    out.append('\n');

    out.append("## (b) The raw embedder on the same chunk texts\n\n");
    out.append(String.format("The chunk texts of (c), read back from the catalog, embedded in batches of %d after a"
        + " warm-up call; \"sample\" is every k-th chunk.%n%n", EmbedderThroughput.BATCH));
    out.append(embedderTables(reps.stream().map(IngestBenchmark.Rep::embedders).toList(), first.lengths()));
    double oursSample = oursSample(reps.stream().map(IngestBenchmark.Rep::embedders).toList());

    IngestBenchmark.PipelineRun p = first.pipeline();
    double wall = med(reps, x -> x.pipeline().job().finishedSeconds());
    double pipelineCps = p.job().chunks() / wall;
    double rawCps = med(reps, x -> x.embedders().get(0).chunksPerSecond()); // all chunks, ours
    out.append("## (c) The whole pipeline, all formats in one job\n\n");
    out.append("`submitLocalFolder` over all the format folders at once, nothing held back, from the call until every"
        + " file is `done`.\n\n");
    out.append("| files (failed) | MB | chunks | wall s | chunks/s | raw embedder chunks/s | ratio (target >= 0.85)"
        + " | all searchable at s | first embedding at s | embedder busy | HNSW upserts s | mean batch (1-text calls)"
        + " | cores | peak heap |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    out.append(String.format("| %d (%d) | %.2f | %d | %.1f | %.1f | %.1f | **%.2f** | %.1f | %.2f | %.1f s (%.0f%%)"
        + " | %.1f | %.1f (%d) | %.2f | %s |%n%n", p.job().files(), p.job().failed(), p.job().megabytes(), p.job().chunks(), wall,
        pipelineCps, rawCps, pipelineCps / rawCps, med(reps, x -> x.pipeline().job().searchableSeconds()),
        med(reps, x -> x.pipeline().firstEmbedSeconds()), med(reps, x -> x.pipeline().embedding().busyNanos() / 1e9),
        100 * med(reps, x -> x.pipeline().embedding().busyNanos() / 1e9 / x.pipeline().job().finishedSeconds()),
        med(reps, x -> x.pipeline().upsertSeconds()), p.embedding().meanBatch(), p.embedding().singleTextCalls(),
        med(reps, x -> x.pipeline().cores()), heap(p.heap())));
    double busy = med(reps, x -> x.pipeline().embedding().busyNanos() / 1e9);
    double rawSeconds = p.job().chunks() / rawCps;
    out.append(String.format("Where the wall time goes: the raw embedder needs %.1f s for these chunks; inside the"
        + " pipeline the embedder's calls took %.1f s (%.2fx, slowed by sharing the cores with parsing and by small"
        + " batches that leave a thread idle), and %.1f s of the wall had no embedder call running (before the first"
        + " file was searchable, HNSW upserts, embedding-cache and catalog writes, job records). Per CPU-second this"
        + " JVM got (the machine is shared): the pipeline %.2f chunks, the raw embedder %.2f, ratio %.2f.%n%n",
        rawSeconds, busy, busy / rawSeconds, wall - busy, pipelineCps / med(reps, x -> x.pipeline().cores()),
        rawCps / med(reps, x -> x.embedders().get(0).cores()), pipelineCps / med(reps, x -> x.pipeline().cores())
            / (rawCps / med(reps, x -> x.embedders().get(0).cores()))));

    IngestBenchmark.UploadRun u = first.upload();
    double toSearchable = med(reps, x -> x.upload().job().searchableSeconds() - x.upload().job().intakeSeconds());
    out.append("## (d) A 10 MB text upload\n\n");
    out.append("Distinct prose (the books, the essays, SciFact abstracts; nothing repeats, so the cache cannot help)"
        + " through `IngestService.submit`, as the upload endpoint calls it. The 202 is when `submit` returns: bytes"
        + " spooled and fsynced, job recorded.\n\n");
    out.append("| bytes | chunks | tokens | submit (spool, fsync, job) s | 202 to searchable s (target <= 10)"
        + " | of which Tika / chunker s | 202 to done s | embedding chunks/s | cores | peak heap |\n"
        + "|---|---|---|---|---|---|---|---|---|---|\n");
    double toDone = med(reps, x -> x.upload().job().finishedSeconds() - x.upload().job().intakeSeconds());
    out.append(String.format("| %d | %d | %d | %.2f | **%.2f** | %.1f / %.1f | %s | %s | %.2f | %s |%n%n",
        u.job().bytes(), u.job().chunks(),
        u.job().tokens(), med(reps, x -> x.upload().job().intakeSeconds()), toSearchable,
        med(reps, x -> x.upload().parseSeconds()), med(reps, x -> x.upload().chunkSeconds()),
        u.waitedForDone() ? String.format("%.1f", toDone) : "not waited for (quick mode)",
        u.waitedForDone() ? String.format("%.1f", u.job().chunks() / (toDone - toSearchable)) : "",
        med(reps, x -> x.upload().cores()), heap(u.heap())));

    double easyTotal = Double.NaN;
    if (!first.easyRag().isEmpty()) {
      out.append("## (e) LangChain4j Easy RAG on the same folders\n\n");
      out.append("`FileSystemDocumentLoader.loadDocumentsRecursively` (Easy RAG's default parser: Apache Tika),"
          + " then `EmbeddingStoreIngestor` with Easy RAG's default splitter (recursive, 300 tokens, 30 overlap,"
          + " HuggingFace BERT tokenizer) and the same model with LangChain4j's defaults, into an"
          + " `InMemoryEmbeddingStore`; one folder per format, sequentially. The splitters differ, so the chunk"
          + " counts differ: compare wall time for the same input bytes.\n\n");
      out.append("| format | documents | segments | load (parse) s | split + store s | embed s | total s | segments/s"
          + " | MB/s | cores | ours (a): to searchable + embedding s | Easy RAG / ours | peak heap |\n");
      out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      easyTotal = 0;
      double oursHeldBack = 0;
      for (int i = 0; i < first.easyRag().size(); i++) {
        final int e = i;
        List<EasyRagBaseline.Result> runs = reps.stream().map(r -> r.easyRag().get(e)).toList();
        EasyRagBaseline.Result r = runs.get(0);
        IngestBenchmark.FormatRun ours = first.formats().get(i);
        double total = med(runs, EasyRagBaseline.Result::totalSeconds);
        final int fi = i;
        double oursTotal = med(reps, x -> x.formats().get(fi).job().searchableSeconds() + x.formats().get(fi)
            .embedSeconds());
        easyTotal += total;
        oursHeldBack += oursTotal;
        out.append(String.format("| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f | %.1f | %.2fx | %s |%n",
            r.format(), r.documents(), r.segments(), med(runs, EasyRagBaseline.Result::loadSeconds),
            med(runs, EasyRagBaseline.Result::splitAndStoreSeconds), med(runs, EasyRagBaseline.Result::embedSeconds),
            total, r.segments() / total, ours.job().megabytes() / total, med(runs, EasyRagBaseline.Result::cores),
            oursTotal, total / oursTotal, heap(r.heap())));
      }
      out.append(String.format("| **all** | | | | | | **%.1f** | | | | %.1f | %.2fx | |%n%n", easyTotal, oursHeldBack,
          easyTotal / oursHeldBack));
      double easyCpu = 0;
      for (int i = 0; i < first.easyRag().size(); i++) {
        final int e = i;
        easyCpu += med(reps, x -> x.easyRag().get(e).totalSeconds() * x.easyRag().get(e).cores());
      }
      double oursCpu = med(reps, x -> x.pipeline().job().finishedSeconds() * x.pipeline().cores());
      out.append(String.format("Against the whole pipeline (c), %.1f s for the same files: Easy RAG takes **%.2fx** as"
          + " long (target >= 1.8). In CPU-seconds this JVM got (the machine is shared): Easy RAG %.0f, the pipeline"
          + " %.0f, %.2fx.%n%n", wall, easyTotal / wall, easyCpu, oursCpu, easyCpu / oursCpu));
    }

    out.append("## Targets\n\n");
    double both = oursSample / med(reps, x -> x.embedders().get(indexOf(x.embedders(), "1 thread")).chunksPerSecond());
    double lc4j = oursSample / med(reps, x -> x.embedders().get(indexOf(x.embedders(), "LangChain4j"))
        .chunksPerSecond());
    out.append(String.format("* pipeline / raw embedder chunks/s >= 0.85: %.2f, %s%n", pipelineCps / rawCps,
        pipelineCps / rawCps >= 0.85 ? "met" : "MISSED"));
    out.append(String.format("* the embedder uses both cores: %.2fx one thread, %.2fx LangChain4j's defaults%n", both,
        lc4j));
    out.append(String.format("* 10 MB upload searchable <= 10 s after the 202: %.2f s, %s%n", toSearchable,
        toSearchable <= 10 ? "met" : "MISSED"));
    if (!Double.isNaN(easyTotal)) {
      out.append(String.format("* Easy RAG >= 1.8x slower than the pipeline: %.2fx, %s%n", easyTotal / wall,
          easyTotal / wall >= 1.8 ? "met" : "MISSED"));
    }
    out.append("\n## Checks\n\n");
    reps.forEach(r -> r.checks().forEach(c -> out.append("* ").append(c).append('\n')));
    List<String> failures = first.pipeline().job().failures();
    if (!failures.isEmpty()) {
      out.append("\nFiles that failed in (c) (expected: the corpus keeps hostile and image-only files):\n\n");
      failures.forEach(f -> out.append("* ").append(f).append('\n'));
    }
    return out.toString();
  }

  /** Only (b), from {@code --only=embedders}. */
  static String renderEmbedders(IngestBenchmark.Settings s, List<EmbedderThroughput.Result> embedders,
      List<ModelTokens.Lengths> lengths, String load, double minutes) {
    return String.format("# Ingestion benchmark, embedders only, %s%n%nCommit %s. %d cores, shared with other work"
        + " (1-minute load average during the run: %s; the \"cores\" column is the CPU this JVM got); Java %s. Model"
        + " %s. The chunk texts of the benchmark's input folders, made by the service's parser and chunkers"
        + " (the texts the pipeline stores), every k-th of them; the run took %.1f minutes.%n%n", LocalDateTime.now().withNano(0), s.commit(), Runtime.getRuntime().availableProcessors(), load,
        System.getProperty("java.version"), s.model().id(), minutes)
        + embedderTables(List.of(embedders), lengths);
  }

  private static double oursSample(List<List<EmbedderThroughput.Result>> runs) {
    int ours = indexOf(runs.get(0), "(ours), sample");
    return med(runs, r -> r.get(ours).chunksPerSecond());
  }

  private static int indexOf(List<EmbedderThroughput.Result> results, String nameContains) {
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).embedder().contains(nameContains)) {
        return i;
      }
    }
    throw new IllegalStateException("no embedder run named '" + nameContains + "'");
  }

  private static String embedderTables(List<List<EmbedderThroughput.Result>> runs, List<ModelTokens.Lengths> lengths) {
    StringBuilder out = new StringBuilder();
    out.append("| embedder | texts | s | chunks/s | cores | ours with every core, same texts, is |\n"
        + "|---|---|---|---|---|---|\n");
    double ours = oursSample(runs);
    int oursIndex = indexOf(runs.get(0), "(ours), sample");
    for (int i = 0; i < runs.get(0).size(); i++) {
      final int e = i;
      EmbedderThroughput.Result r = runs.get(0).get(i);
      double cps = med(runs, x -> x.get(e).chunksPerSecond());
      out.append(String.format("| %s | %d | %.1f | %.1f | %.2f | %s |%n", r.embedder(), r.texts(),
          med(runs, x -> x.get(e).seconds()), cps, med(runs, x -> x.get(e).cores()),
          i <= oursIndex ? "" : String.format("%.2fx faster", ours / cps)));
    }
    out.append(String.format("%nChunk lengths in the model's own WordPiece tokens: LangChain4j's ONNX encoder cuts a"
        + " text of more than %d into parts, runs the model on each and averages the vectors, so such a chunk costs"
        + " two or more passes. (Easy RAG's splitter counts BERT tokens, at most 300 per segment.)%n%n",
        ModelTokens.WINDOW));
    out.append("| chunks of | chunks | mean tokens | p95 tokens | over the window |\n|---|---|---|---|---|\n");
    for (ModelTokens.Lengths l : lengths) {
      out.append(String.format("| %s | %d | %.0f | %d | %.1f%% |%n", l.group(), l.chunks(), l.mean(), l.p95(),
          100 * l.overWindow()));
    }
    out.append('\n');
    return out.toString();
  }

  static String heap(HeapWatch.Peak p) {
    return String.format("%d / %s", p.usedBytes() >> 20, p.afterGcBytes() == 0 ? "n/a" : (p.afterGcBytes() >> 20));
  }

  static <T> double med(List<T> xs, ToDoubleFunction<T> f) {
    double[] v = xs.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
