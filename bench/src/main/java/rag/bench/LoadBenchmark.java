package rag.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import rag.query.generate.ScriptedModelServer;
import rag.query.generate.ScriptedModelServer.Reply;

/**
 * Under load (issue 16): the packaged service ({@code java -jar app/target/quarkus-app/quarkus-run.jar}) as a child
 * process on a fresh data directory, a scripted OpenAI-compatible model server in this JVM (50 tokens at 20 ms each by
 * default), a real corpus ingested first, then a closed loop of N virtual clients (one request at a time each, no
 * think time) over a fixed, seeded mix of operations ({@link LoadOp}) while a bulk upload runs in the background.
 * Per level and operation: throughput, p50/p95/p99, shed requests (503/429 with {@code Retry-After} and problem+json)
 * and errors. The soak ({@code --soak=MINUTES}) runs 50 clients and samples the service's heap after GC, threads,
 * file descriptors, catalog connections, Lucene searchers and mapped Lucene files ({@link LoadProbe}), and judges them
 * flat.
 *
 * <p>Options: {@code --corpora=DIR --levels=1,10,50,200 --seconds=60 --warmup=10 --soak=0 --soak-clients=50
 * --sample-seconds=60 --soak-warmup=SECONDS (default the larger of 90 and one sample interval)
 * --mix=query-extractive:25,... --seed=16 --timeout=120 --model-tokens=50 --token-ms=20 --initial-essays=25
 * --bulk=true --bulk-batch=4 --service-heap=4g
 * --jar=app/target/quarkus-app/quarkus-run.jar --work=bench/target/load --results=bench/results --commit=SHA}.
 * The service runs open (no API key; it listens on 127.0.0.1 only), so the per-key limits do not apply.
 */
public final class LoadBenchmark {
  static final String COLLECTION = "load";
  private static final String DEFAULT_MIX =
      "query-extractive:25,query-model:15,plan-stuff:10,search:25,documents:10,chat:15";

  private LoadBenchmark() {}

  /** One level of the closed loop (or the soak). */
  record Level(String name, int clients, double seconds, LoadStats stats, double serviceCores, double driverCores,
      Map<String, Double> middle) {}

  record Sample(double minute, Map<String, Double> values) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = Args.parse(args);
    if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
      // idle connections of a level with many clients close within seconds instead of 20 minutes, so that they do not
      // stay as file descriptors of the service through the next level and the soak (at 5 s, 114 of the 200
      // connections were still open in the soak at 50 clients that followed: the pool reuses them in turn)
      System.setProperty("jdk.httpclient.keepalive.timeout", "2");
    }
    Path corpora = Path.of(o.getOrDefault("corpora", "../shared/corpora"));
    List<Integer> levels = Stream.of(o.getOrDefault("levels", "1,10,50,200").split(",")).map(String::strip)
        .filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
    double seconds = Double.parseDouble(o.getOrDefault("seconds", "60"));
    double warmup = Double.parseDouble(o.getOrDefault("warmup", "10"));
    double soakMinutes = Double.parseDouble(o.getOrDefault("soak", "0"));
    int soakClients = Integer.parseInt(o.getOrDefault("soak-clients", "50"));
    double sampleSeconds = Double.parseDouble(o.getOrDefault("sample-seconds", "60"));
    // the soak follows the levels: threads a larger level started end within about a minute once idle
    double soakWarmup = Double.parseDouble(o.getOrDefault("soak-warmup", String.valueOf(Math.max(sampleSeconds, 90))));
    Map<LoadOp, Integer> mix = mix(o.getOrDefault("mix", DEFAULT_MIX));
    long seed = Long.parseLong(o.getOrDefault("seed", "16"));
    Duration timeout = Duration.ofSeconds(Long.parseLong(o.getOrDefault("timeout", "120")));
    int modelTokens = Integer.parseInt(o.getOrDefault("model-tokens", "50"));
    int tokenMillis = Integer.parseInt(o.getOrDefault("token-ms", "20"));
    int initialEssays = Integer.parseInt(o.getOrDefault("initial-essays", "25"));
    boolean bulk = Boolean.parseBoolean(o.getOrDefault("bulk", "true"));
    int bulkBatch = Integer.parseInt(o.getOrDefault("bulk-batch", "4"));
    String serviceHeap = o.getOrDefault("service-heap", "4g");
    Path jar = Path.of(o.getOrDefault("jar", "app/target/quarkus-app/quarkus-run.jar"));
    Path work = Path.of(o.getOrDefault("work", "bench/target/load")).toAbsolutePath();
    Path results = Path.of(o.getOrDefault("results", "bench/results"));
    String commit = o.getOrDefault("commit", "unknown");

    List<Path> initial = new ArrayList<>();
    List<Path> pool = new ArrayList<>();
    corpus(corpora, initialEssays, initial, pool);
    StorageBenchmark.deleteTree(work);
    Files.createDirectories(work);

    List<Level> done = new ArrayList<>();
    List<Sample> samples = new ArrayList<>();
    Map<String, String> setup = new LinkedHashMap<>();
    String load;
    List<String> errorLines;
    List<String> warnLines;
    int exitCode;
    LoadUploader uploader = null;
    try (MachineLoad machine = new MachineLoad();
        ScriptedModelServer model = ScriptedModelServer.start()) {
      String[] tokens = new String[modelTokens];
      for (int i = 0; i < modelTokens; i++) {
        tokens[i] = i == modelTokens - 1 ? "[C1]." : "word" + i + " ";
      }
      model.reply(Reply.tokens(tokens).delayPerToken(Duration.ofMillis(tokenMillis)));
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("rag.models.scripted.base-url", model.baseUrl());
      properties.put("rag.models.scripted.model", ScriptedModelServer.MODEL);
      properties.put("rag.models.scripted.context-window", "262144");
      properties.put("rag.models.scripted.answer-reserve", "1024");
      properties.put("rag.models.scripted.timeout", "60s");
      LoadService service = LoadService.start(jar, work.resolve("service"), serviceHeap, properties);
      try (service) {
        LoadClient client = new LoadClient(service.baseUrl(), COLLECTION, timeout, 4);
        LoadProbe probe = new LoadProbe(service, client);
        setup.put("request timeout", timeout.toSeconds() + " s (the whole response, a chat's whole stream)");
        ingest(client, initial, setup);
        System.err.println("ingested: " + setup);
        warmUpEachOperation(client, mix);
        LoadStats first = new LoadStats();
        if (bulk) {
          uploader = new LoadUploader(client, pool, bulkBatch, first);
        }
        for (int clients : levels) {
          done.add(level("" + clients, client, probe, uploader, clients, warmup, seconds, mix, seed + clients,
              timeout, null));
          print(done.get(done.size() - 1));
        }
        if (soakMinutes > 0) {
          Thread sampler = new Thread(() -> {
            long t0 = System.nanoTime();
            for (int i = 0; ; i++) {
              long at = t0 + (long) (i * sampleSeconds * 1e9);
              try {
                Thread.sleep(Math.max(0, (at - System.nanoTime()) / 1_000_000));
                Map<String, Double> values = probe.sample(true);
                synchronized (samples) {
                  samples.add(new Sample((System.nanoTime() - t0) / 60e9, values));
                }
                System.err.printf(Locale.ROOT, "soak %.1f min: %s%n", (System.nanoTime() - t0) / 60e9, values);
              } catch (InterruptedException e) {
                return;
              } catch (Exception e) {
                System.err.println("soak sample failed: " + e);
              }
            }
          }, "soak-sampler");
          sampler.setDaemon(true);
          // 5 s more than the soak, so that the sample at its last minute is taken under load
          done.add(level("soak " + soakClients, client, probe, uploader, soakClients, 0, soakMinutes * 60 + 5, mix,
              seed + 7, timeout, sampler));
          print(done.get(done.size() - 1));
        }
        if (uploader != null) {
          uploader.close();
        }
        exitCode = service.stop();
        errorLines = service.errorLines();
        warnLines = service.warnLines();
        Files.copy(service.log(), work.resolve("service-kept.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      load = machine.summary();
    }
    String report = report(commit, load, setup, levels, seconds, warmup, mix, modelTokens, tokenMillis, serviceHeap,
        bulk, pool.size(), bulkBatch, uploader, done, samples, soakMinutes, sampleSeconds, soakWarmup, errorLines,
        warnLines, exitCode, work);
    System.out.println(report);
    Path out = new BenchOutput(results, "load").write("md", report);
    System.err.println("written to " + out);
    System.exit(0);
  }

  /** The initial files (essays, two PDFs, four English lectures) and the bulk pool (the rest of those folders). */
  static void corpus(Path corpora, int essays, List<Path> initial, List<Path> pool) throws IOException {
    List<Path> pg = list(corpora.resolve("pg-essays"), ".txt");
    initial.addAll(pg.subList(0, Math.min(essays, pg.size())));
    pool.addAll(pg.subList(Math.min(essays, pg.size()), pg.size()));
    for (String pdf : List.of("manual-menhir-reference-20231231.pdf", "arxiv-1601.03642-creativity-in-ml-2col.pdf")) {
      if (Files.isRegularFile(corpora.resolve("pdfs").resolve(pdf))) {
        initial.add(corpora.resolve("pdfs").resolve(pdf));
      }
    }
    Path slides = corpora.resolve("pdfs/slides-europython-2025-five-types-of-database.pdf");
    if (Files.isRegularFile(slides)) {
      pool.add(slides);
    }
    List<Path> lectures = list(corpora.resolve("transcripts"), "english-captions.srt");
    initial.addAll(lectures.subList(0, Math.min(4, lectures.size())));
    pool.addAll(lectures.subList(Math.min(4, lectures.size()), lectures.size()));
    if (initial.isEmpty()) {
      throw new IllegalStateException("no corpus files under " + corpora.toAbsolutePath());
    }
    Collections.shuffle(pool, new Random(16)); // each upload a mix of essays, lectures and the PDF
  }

  private static List<Path> list(Path dir, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  private static Map<LoadOp, Integer> mix(String spec) {
    Map<LoadOp, Integer> mix = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      String[] kv = part.split(":");
      LoadOp op = LoadOp.byLabel(kv[0].strip());
      if (!op.inMix) {
        throw new IllegalArgumentException(op.label + " runs in the background, not in the mix");
      }
      mix.put(op, Integer.parseInt(kv[1].strip()));
    }
    return mix;
  }

  /** Uploads the initial files in one request and waits for the job; notes what it took. */
  private static void ingest(LoadClient client, List<Path> files, Map<String, String> setup) throws Exception {
    LoadClient.Reply created = client.post(0, "/api/collections", Map.of("name", COLLECTION));
    if (created.status() / 100 != 2) {
      throw new IllegalStateException("creating the collection: " + created.status() + " " + created.body());
    }
    long bytes = 0;
    for (Path f : files) {
      bytes += Files.size(f);
    }
    long t0 = System.nanoTime();
    LoadClient.Reply reply = client.upload(files, "base/");
    if (reply.status() != 202) {
      throw new IllegalStateException("the initial upload: " + reply.status() + " " + reply.body());
    }
    JsonNode job = client.awaitJob(reply.json().path("jobId").asText(), Duration.ofMinutes(30));
    if (job == null) {
      throw new IllegalStateException("the initial ingest did not end within 30 minutes");
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    List<String> failed = new ArrayList<>();
    for (JsonNode f : job.path("files")) {
      if (!f.path("status").asText().equals("done")) {
        failed.add(f.path("name").asText() + " " + f.path("status").asText() + " " + f.path("error"));
      }
    }
    JsonNode collection = client.get("/api/collections/" + COLLECTION).json();
    setup.put("initial files", String.format(Locale.ROOT, "%d (%.2f MB: %s)", files.size(), bytes / 1e6,
        describe(files)));
    setup.put("initial ingest", String.format(Locale.ROOT, "%.1f s to every file done (job %s), %s failed",
        secs, job.path("state").asText(), failed.isEmpty() ? "none" : failed.toString()));
    setup.put("collection after ingest", String.format(Locale.ROOT, "%d documents, %d chunks, %d tokens",
        collection.path("documents").asLong(), collection.path("chunks").asLong(), collection.path("tokens").asLong()));
  }

  private static String describe(List<Path> files) {
    return files.stream().collect(Collectors.groupingBy(p -> p.getParent().getFileName().toString(),
        LinkedHashMap::new, Collectors.counting())).entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
        .collect(Collectors.joining(", "));
  }

  /** One request of each operation before the levels, so that the first level does not pay for class loading. */
  private static void warmUpEachOperation(LoadClient client, Map<LoadOp, Integer> mix) {
    Random random = new Random(1);
    for (int round = 0; round < 3; round++) {
      for (LoadOp op : mix.keySet()) {
        LoadOutcome outcome = client.execute(op, 0, random);
        if (outcome.kind() != LoadOutcome.Kind.OK) {
          System.err.println("warm-up " + op.label + ": " + outcome);
        }
      }
    }
  }

  /**
   * A closed loop of {@code clients} virtual clients for {@code warmup + seconds}; requests that end within the last
   * {@code seconds} are recorded. {@code sampler}, when given, starts with the measured part and stops with it.
   */
  private static Level level(String name, LoadClient client, LoadProbe probe, LoadUploader uploader, int clients,
      double warmup, double seconds, Map<LoadOp, Integer> mix, long seed, Duration timeout, Thread sampler)
      throws Exception {
    System.err.printf(Locale.ROOT, "level %s: %d clients, %.0f s warm-up + %.0f s%n", name, clients, warmup, seconds);
    LoadStats stats = new LoadStats();
    List<LoadOp> ops = new ArrayList<>(mix.keySet());
    int[] cumulative = new int[ops.size()];
    int sum = 0;
    for (int i = 0; i < ops.size(); i++) {
      sum += mix.get(ops.get(i));
      cumulative[i] = sum;
    }
    int total = sum;
    long start = System.nanoTime();
    long measureStart = start + (long) (warmup * 1e9);
    long end = measureStart + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int id = c;
      Thread t = new Thread(() -> {
        Random random = new Random(seed * 1_000_003L + id);
        while (System.nanoTime() < end) {
          int pick = random.nextInt(total);
          int k = 0;
          while (cumulative[k] <= pick) {
            k++;
          }
          LoadOp op = ops.get(k);
          long t0 = System.nanoTime();
          LoadOutcome outcome = client.execute(op, id, random);
          long t1 = System.nanoTime();
          if (t1 >= measureStart && t1 <= end) {
            stats.record(op, outcome, t1 - t0);
          }
        }
      }, "virtual-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    Thread.sleep(Math.max(0, (measureStart - System.nanoTime()) / 1_000_000));
    if (uploader != null) {
      uploader.stats.set(stats);
    }
    if (sampler != null) {
      sampler.start();
    }
    Map<String, Double> before = probe.metrics();
    long cpu0 = ProcessCpu.nanos();
    long wall0 = System.nanoTime();
    Thread.sleep(Math.max(0, (measureStart + (end - measureStart) / 2 - System.nanoTime()) / 1_000_000));
    Map<String, Double> middle = probe.sample(false);
    Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
    Map<String, Double> afterMetrics = probe.metrics();
    double driverCores = ProcessCpu.cores(ProcessCpu.nanos() - cpu0, System.nanoTime() - wall0);
    double serviceCores = (afterMetrics.getOrDefault("process_cpu_time_ns_total", 0.0)
        - before.getOrDefault("process_cpu_time_ns_total", 0.0)) / (System.nanoTime() - wall0);
    if (sampler != null) {
      sampler.interrupt();
    }
    for (Thread t : threads) {
      t.join(timeout.toMillis() + 30_000);
    }
    return new Level(name, clients, seconds, stats, serviceCores, driverCores, middle);
  }

  private static void print(Level level) {
    System.err.printf(Locale.ROOT, "level %s: %.1f ok/s, %d shed, %d errors%n", level.name(),
        level.stats().totalOk() / level.seconds(), level.stats().total(p -> p.shed),
        level.stats().total(p -> p.errors));
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static String report(String commit, String load, Map<String, String> setup, List<Integer> levels,
      double seconds, double warmup, Map<LoadOp, Integer> mix, int modelTokens, int tokenMillis, String heap,
      boolean bulk, int poolSize, int bulkBatch, LoadUploader uploader, List<Level> done, List<Sample> samples,
      double soakMinutes, double sampleSeconds, double soakWarmup, List<String> errorLines, List<String> warnLines,
      int exitCode, Path work) {
    StringBuilder md = new StringBuilder("# Under load (issue 16)\n\n");
    md.append(String.format(Locale.ROOT, "Commit %s, %s, %d cores. Machine load: %s.%n%n", commit,
        LocalDateTime.now().withNano(0), Runtime.getRuntime().availableProcessors(), load));
    md.append("Settings:\n\n");
    md.append("- service: the packaged jar (`java -Xmx").append(heap)
        .append(" -jar app/target/quarkus-app/quarkus-run.jar`), a child process on a free 127.0.0.1 port, a fresh data"
            + " directory, embedded backend (SQLite + Lucene), every default; open (no API key), so the per-key limits"
            + " do not apply; the admission bounds do (model 16 at once + 64 waiting, question embeddings 4 + 200,"
            + " 10 s longest wait)\n");
    md.append(String.format(Locale.ROOT, "- model: a scripted OpenAI-compatible server in the driver's JVM, every"
        + " answer %d tokens at %d ms each (profile `scripted`: window 262,144, retrieval budget 32,768)%n",
        modelTokens, tokenMillis));
    setup.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    md.append("- mix (weights): ").append(mix.entrySet().stream().map(e -> e.getKey().label + " " + e.getValue())
        .collect(Collectors.joining(", "))).append("; questions drawn from 16 fixed ones with a seeded Random\n");
    md.append("  - query-extractive: `POST /query` retrieve mode, profile `qwen3` (no base-url: extractive);"
        + " query-model: the same with profile `scripted`; plan-stuff: `POST /plan` stuff mode, profile"
        + " `llama4-scout` (10M window: the whole collection fits), without the prompt; search: `POST /search` hybrid"
        + " top 10; documents: `GET /documents?limit=100`; chat: `POST /chat` retrieve mode, profile `scripted`, the"
        + " event stream read to `done`\n");
    md.append(bulk ? String.format(Locale.ROOT, "- background: a bulk upload of %d more corpus files in multipart"
        + " requests of %d, each job awaited before the next; after each round through them, that round's documents"
        + " are deleted (so the collection swings between its base and base + %d files)%n", poolSize, bulkBatch,
        poolSize) : "- background: none (--bulk=false)\n");
    md.append(String.format(Locale.ROOT, "- closed loop: per level %.0f s warm-up, then %.0f s measured (requests that"
        + " end within it); one request at a time per client, no think time, a shed request is not retried after"
        + " a pause%n", warmup, seconds));
    md.append("- shed = 503 or 429 with `Retry-After` and an `application/problem+json` body; error = anything else"
        + " non-2xx, a timeout, an exception, a chat stream with an `error` event or without `done`, a query without"
        + " the expected `answerKind`; latencies are of successful requests only\n\n");

    md.append("## Per level\n\n");
    md.append("| clients | operation | ok/s | p50 ms | p95 ms | p99 ms | max ms | ok | shed | errors |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Level level : done) {
      for (LoadOp op : LoadOp.values()) {
        LoadStats.PerOp p = level.stats().of(op);
        long n = p.ok.sum() + p.shed.sum() + p.errors.sum();
        if (n == 0) {
          continue;
        }
        md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %s | %s | %s | %s | %d | %d | %d |%n", level.name(),
            op.label + (op.inMix ? "" : " (bg)"), p.ok.sum() / level.seconds(), ms(p.percentileMillis(50)),
            ms(p.percentileMillis(95)), ms(p.percentileMillis(99)), ms(p.percentileMillis(100)), p.ok.sum(),
            p.shed.sum(), p.errors.sum()));
      }
      md.append(String.format(Locale.ROOT, "| **%s** | **all in the mix** | **%.2f** | | | | | %d | %d | %d |%n",
          level.name(), mixOk(level) / level.seconds(), mixOk(level), level.stats().total(p -> p.shed),
          level.stats().total(p -> p.errors)));
    }
    md.append("\nService and driver per level (cores: CPU time over the measured wall time; the rest sampled in the"
        + " middle of the measured part, no GC; waiting: requests queued in the admission bounds):\n\n");
    md.append("| clients | service cores | driver cores | live threads | open fds | catalog connections |"
        + " mapped index files | http connections | question embeddings waiting | model in use / waiting |\n"
        + "|---|---|---|---|---|---|---|---|---|---|\n");
    for (Level level : done) {
      Map<String, Double> a = level.middle();
      md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f / %.0f"
          + " |%n", level.name(), level.serviceCores(), level.driverCores(), a.get("live threads"), a.get("open fds"),
          a.get("catalog connections"), a.get("mapped index files"), a.get("http connections"),
          a.get("embeddings waiting"), a.get("model in use"), a.get("model waiting")));
    }
    Map<String, String> shedTypes = new LinkedHashMap<>();
    for (Level level : done) {
      for (LoadOp op : LoadOp.values()) {
        level.stats().of(op).shedTypes.forEach((type, count) -> shedTypes.merge(level.name() + " " + op.label,
            type + " x" + count.sum(), (x, y) -> x + ", " + y));
      }
    }
    if (!shedTypes.isEmpty()) {
      md.append("\nShed, by status and problem type:\n\n");
      shedTypes.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    }

    md.append("\n## Against the targets\n\n");
    Level single = done.stream().filter(l -> l.clients() == 1 && !l.name().startsWith("soak")).findFirst()
        .orElse(null);
    Level fifty = done.stream().filter(l -> l.clients() == 50 && !l.name().startsWith("soak")).findFirst()
        .orElse(null);
    if (single == null || fifty == null) {
      md.append("Needs the levels 1 and 50 in the same run (--levels=1,...,50).\n");
    } else {
      md.append("Baseline: the single-client p50 of this run. Ratios of the same run.\n\n");
      md.append("| operation | p50 at 1 client ms | p95 at 50 clients ms | p95@50 / p50@1 | target | |\n");
      md.append("|---|---|---|---|---|---|\n");
      for (LoadOp op : mix.keySet()) {
        double base = single.stats().of(op).percentileMillis(50);
        double p95 = fifty.stats().of(op).percentileMillis(95);
        boolean judged = op == LoadOp.QUERY_EXTRACTIVE || op == LoadOp.QUERY_MODEL;
        double ratio = p95 / base;
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %s | %s |%n", op.label, ms(base), ms(p95),
            ratio, judged ? "<= 30" : "(none)", judged ? (ratio <= 30 ? "PASS" : "FAIL") : ""));
      }
      Level best = done.stream().filter(l -> !l.name().startsWith("soak"))
          .max((a, b) -> Double.compare(mixOk(a) / a.seconds(), mixOk(b) / b.seconds())).orElseThrow();
      double tp50 = mixOk(fifty) / fifty.seconds();
      double tpBest = mixOk(best) / best.seconds();
      md.append(String.format(Locale.ROOT, "%nThroughput of the mix at 50 clients: %.2f req/s; best level: %s"
          + " clients, %.2f req/s; ratio %.0f%% (target >= 80%%): %s%n", tp50, best.name(), tpBest,
          100 * tp50 / tpBest, tp50 >= 0.8 * tpBest ? "PASS" : "FAIL"));
      md.append(String.format(Locale.ROOT, "%nErrors at 50 clients: %d; shed: %d of %d requests.%n",
          fifty.stats().total(p -> p.errors), fifty.stats().total(p -> p.shed),
          fifty.stats().total(p -> p.ok) + fifty.stats().total(p -> p.shed) + fifty.stats().total(p -> p.errors)));
    }

    if (uploader != null) {
      md.append(String.format(Locale.ROOT, "%n## Background upload%n%n%d files done, %d failed, %d rounds completed"
          + " (each round: %d files, then their documents deleted).%s%n", uploader.filesDone.get(),
          uploader.filesFailed.get(), uploader.rounds.get(), poolSize,
          uploader.failures.isEmpty() ? "" : " Failures: " + uploader.failures));
    }

    if (!samples.isEmpty()) {
      md.append(String.format(Locale.ROOT, "%n## Soak: %.0f minutes at 50 clients, sampled every %.0f s%n%n",
          soakMinutes, sampleSeconds));
      md.append("Each sample right after `jcmd <pid> GC.run` (a full collection): heap after GC is the old"
          + " generation then (`jvm_memory_used_bytes` of G1 Old Gen: a full collection leaves every live object there,"
          + " while eden fills again at once under load; heap in use counts eden too). Threads:"
          + " `jvm_threads_live_threads`;"
          + " open fds: `/proc/<pid>/fd`. Catalog connections: the pool's open connections, active and idle"
          + " (`rag_catalog_connections`); Lucene searchers open: the readers held, the current one of each index and"
          + " older ones still in use (`rag_lucene_searchers{state=\"open\"}`); readers never released would also"
          + " show as mapped index files that are already deleted (`/proc/<pid>/maps` under `lexical/` and"
          + " `vectors-*/`: a merged-away segment stays mapped while a reader holds it). The number of mapped"
          + " index files follows the segment count, which the upload churn and merges move up and down by design:"
          + " shown, not judged.\n\n");
      List<String> columns = new ArrayList<>(samples.get(0).values().keySet());
      md.append("| minute | ").append(String.join(" | ", columns)).append(" |\n|---|")
          .append("---|".repeat(columns.size())).append('\n');
      for (Sample s : samples) {
        md.append(String.format(Locale.ROOT, "| %.1f |", s.minute()));
        for (String c : columns) {
          double v = s.values().getOrDefault(c, Double.NaN);
          md.append(v == Math.rint(v) ? String.format(Locale.ROOT, " %.0f |", v)
              : String.format(Locale.ROOT, " %.1f |", v));
        }
        md.append('\n');
      }
      md.append(String.format(Locale.ROOT, "%nFlatness: the samples from %.0f s of soak on (warm-up: the soak follows"
          + " the levels, and the threads a larger level started end within about a minute once idle), split into a"
          + " first and a second half; the largest value of the second half against the largest of the first; growth"
          + " above 10%% fails. Maxima, not single samples: the counts in use (connections, searchers) move by one or"
          + " two with the requests in flight at the instant of a sample, and a leak keeps raising the maximum.%n%n",
          soakWarmup));
      md.append("| series | max of the first half | max of the second half | growth | |\n|---|---|---|---|---|\n");
      int first = -1;
      for (int i = 0; i < samples.size(); i++) {
        if (samples.get(i).minute() * 60 >= soakWarmup - 1) {
          first = i;
          break;
        }
      }
      for (String series : LoadProbe.SERIES) {
        if (first < 0 || samples.size() - first < 2) {
          md.append("| ").append(series).append(" | not enough samples after the warm-up | | | |\n");
          continue;
        }
        int middle = first + (samples.size() - first) / 2;
        double early = samples.subList(first, middle).stream().mapToDouble(x -> x.values().get(series)).max()
            .orElse(Double.NaN);
        double late = samples.subList(middle, samples.size()).stream().mapToDouble(x -> x.values().get(series)).max()
            .orElse(Double.NaN);
        double growth = early == 0 ? (late == 0 ? 0 : Double.POSITIVE_INFINITY) : (late - early) / early;
        md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %+.1f%% | %s |%n", series, early, late,
            100 * growth, growth <= 0.10 ? "PASS" : "FAIL"));
      }
    }

    md.append("\n## Errors\n\n");
    boolean any = false;
    for (Level level : done) {
      for (LoadOp op : LoadOp.values()) {
        List<String> s = level.stats().of(op).errorSamples;
        if (!s.isEmpty()) {
          any = true;
          md.append("- ").append(level.name()).append(' ').append(op.label).append(" (")
              .append(level.stats().of(op).errors.sum()).append("): ").append(String.join(" | ", s)).append('\n');
        }
      }
    }
    if (!any) {
      md.append("None.\n");
    }
    md.append(String.format(Locale.ROOT, "%nThe service stopped on SIGTERM with exit code %d (143 = 128 + SIGTERM"
        + " is the JVM's clean stop on the signal, which PackagedRunScriptIT accepts too). Its log (%s) holds %d"
        + " ERROR and %d WARN lines.%n", exitCode, work.resolve("service-kept.log"), errorLines.size(),
        warnLines.size()));
    errorLines.stream().limit(5).forEach(l -> md.append("    ").append(LoadOutcome.excerpt(l)).append('\n'));
    warnLines.stream().map(l -> l.replaceFirst("^\\S+ \\S+ ", "")).distinct().limit(5)
        .forEach(l -> md.append("    ").append(LoadOutcome.excerpt(l)).append('\n'));
    return md.toString();
  }

  private static long mixOk(Level level) {
    long n = 0;
    for (LoadOp op : LoadOp.values()) {
      if (op.inMix) {
        n += level.stats().of(op).ok.sum();
      }
    }
    return n;
  }

  private static String ms(double millis) {
    if (Double.isNaN(millis)) {
      return "-";
    }
    return millis >= 100 ? String.format(Locale.ROOT, "%.0f", millis) : String.format(Locale.ROOT, "%.1f", millis);
  }
}
