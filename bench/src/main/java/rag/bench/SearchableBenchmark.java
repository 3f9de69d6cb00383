package rag.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import rag.ingest.intake.Upload;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.jobs.IngestJob;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.SearchFilter;

/**
 * Time to first search (issue 16): (a) 1,000 small text files of 1 to 10 KB (SciFact abstracts, each file distinct)
 * from {@code submitLocalFolder} to the last one searchable, in MB/s; (b) a 10 MB text upload from {@code submit} to
 * searchable. The service's pipeline with its defaults (two parse workers, the embedder running beside, as in the
 * service), each repetition on a fresh data directory; medians over the repetitions. Checks that BM25 finds sampled
 * files and the upload's last line.
 *
 * <p>Options: {@code --corpora=DIR --files=1000 --repeat=3 --upload-mb=10 --work=DIR --results=DIR --commit=SHA
 * --hold-embedder} (the embedder waits until everything is searchable: parsing and indexing alone) {@code
 * --warm-up-files=N} (before the repetitions, N more small files cut from the books, not SciFact, are ingested in
 * jobs of 1,000 on throwaway data directories, so that the JIT has compiled what a running service has; default 0:
 * 20 of the small files only). Each repetition starts with no remembered token counts
 * ({@link JTokkitTokenCounter#forgetRemembered}), as a service meeting the text for the first time would, and prints
 * to stderr where the small files' CPU went, by thread pool ({@link ThreadCpu}).
 */
public final class SearchableBenchmark {
  private SearchableBenchmark() {}

  record Run(double smallSeconds, double smallIntakeSeconds, double smallMegabytes, int smallFiles, int smallFailed,
      double smallCores, double uploadSeconds, double uploadCores, List<String> checks) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = Args.parse(args);
    Path corpora = Path.of(o.getOrDefault("corpora", "../shared/corpora"));
    int files = Integer.parseInt(o.getOrDefault("files", "1000"));
    int repeat = Integer.parseInt(o.getOrDefault("repeat", "3"));
    long uploadBytes = (long) (Double.parseDouble(o.getOrDefault("upload-mb", "10")) * 1_000_000);
    Path work = Path.of(o.getOrDefault("work", "bench/target/searchable")).toAbsolutePath();
    Path results = Path.of(o.getOrDefault("results", "bench/results"));
    boolean holdEmbedder = Boolean.parseBoolean(o.getOrDefault("hold-embedder", "false"));
    int warmUpFiles = Integer.parseInt(o.getOrDefault("warm-up-files", "0"));
    StorageBenchmark.deleteTree(work);
    Path small = work.resolve("small");
    long smallBytes = smallFiles(corpora, files, small);
    Path upload = work.resolve("upload/upload.txt");
    String lastLine = IngestInputs.uploadText(corpora, uploadBytes, upload);
    List<Run> runs = new ArrayList<>();
    String load;
    try (OnnxEmbedder onnx = new OnnxEmbedder(InProcessModel.BGE_SMALL_EN_V15_Q, 2);
        MachineLoad machine = new MachineLoad()) {
      warmUp(onnx, work, small);
      warmUpOnBooks(onnx, work, corpora, warmUpFiles);
      for (int r = 0; r < repeat; r++) {
        JTokkitTokenCounter.forgetRemembered();
        runs.add(run(onnx, work.resolve("data-" + r), small, upload, lastLine, holdEmbedder));
        Run last = runs.get(runs.size() - 1);
        System.err.printf(Locale.ROOT, "repetition %d: %d small files %.2f MB in %.2f s (%.2f MB/s); upload %.2f s%n",
            r + 1, last.smallFiles(), last.smallMegabytes(), last.smallSeconds(),
            last.smallMegabytes() / last.smallSeconds(), last.uploadSeconds());
      }
      load = machine.summary();
    }
    String report = report(runs, files, smallBytes, uploadBytes, warmUpFiles, load, o.getOrDefault("commit",
        "unknown"));
    System.out.println(report);
    Files.createDirectories(results);
    Path out = results.resolve("searchable-" + LocalDateTime.now().withNano(0).toString().replace(':', '-') + ".md");
    Files.writeString(out, report);
    System.err.println("written to " + out);
    System.exit(0);
  }

  /** Files of 1 to 10 KB (uniform, seed 16) of whole SciFact abstracts; returns their total size. */
  static long smallFiles(Path corpora, int count, Path dir) throws Exception {
    List<String> abstracts = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    List<Path> parts;
    try (Stream<Path> list = Files.list(corpora.resolve("scifact"))) {
      parts = list.filter(p -> p.getFileName().toString().startsWith("corpus")).sorted().toList();
    }
    for (Path part : parts) {
      for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          JsonNode doc = json.readTree(line);
          abstracts.add(doc.path("title").asText() + ".\n" + doc.path("text").asText() + "\n\n");
        }
      }
    }
    Random random = new Random(16);
    Files.createDirectories(dir);
    long total = 0;
    int next = 0;
    for (int i = 0; i < count; i++) {
      int target = 1024 + random.nextInt(9 * 1024);
      StringBuilder text = new StringBuilder();
      while (text.length() < target) {
        String a = abstracts.get(next++ % abstracts.size());
        text.append(a, 0, Math.min(a.length(), target - text.length()));
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      Files.write(dir.resolve(String.format(Locale.ROOT, "note-%04d.txt", i)), bytes);
      total += bytes.length;
    }
    return total;
  }

  private static void warmUp(OnnxEmbedder onnx, Path work, Path small) throws Exception {
    Path dir = work.resolve("data-warm-up");
    Path few = work.resolve("warm-up");
    Files.createDirectories(few);
    try (Stream<Path> list = Files.list(small)) {
      for (Path p : list.sorted().limit(20).toList()) {
        Files.copy(p, few.resolve(p.getFileName()));
      }
    }
    try (ServicePipeline p = new ServicePipeline(dir, onnx)) {
      IngestJob job = p.service().submitLocalFolder("warm-up", few);
      await(() -> p.clock().pastParsing(job.id()), "warm-up");
    }
    StorageBenchmark.deleteTree(dir);
  }

  /** Ingests {@code count} small files cut from the books (1 to 10 KB, seed 17) in jobs of 1,000, results unused. */
  private static void warmUpOnBooks(OnnxEmbedder onnx, Path work, Path corpora, int count) throws Exception {
    if (count <= 0) {
      return;
    }
    StringBuilder books = new StringBuilder();
    try (Stream<Path> list = Files.list(corpora.resolve("books"))) {
      for (Path p : list.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
        books.append(Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    Random random = new Random(17);
    int next = 0;
    for (int job = 0; job * 1000 < count; job++) {
      Path dir = work.resolve("warm-up-books-" + job);
      Files.createDirectories(dir);
      for (int i = 0; i < Math.min(1000, count - job * 1000); i++) {
        int size = 1024 + random.nextInt(9 * 1024);
        if (next + size > books.length()) {
          next = 0;
        }
        Files.writeString(dir.resolve(String.format(Locale.ROOT, "piece-%04d.txt", i)),
            books.substring(next, next + size) + "\n" + job + "." + i, StandardCharsets.UTF_8); // distinct bytes
        next += size;
      }
      Path data = work.resolve("data-warm-up-books");
      try (ServicePipeline p = new ServicePipeline(data, onnx)) {
        IngestJob ingest = p.service().submitLocalFolder("warm-up", dir);
        await(() -> p.clock().pastParsing(ingest.id()), "warm-up on the books");
      }
      StorageBenchmark.deleteTree(data);
      StorageBenchmark.deleteTree(dir);
    }
    System.err.printf(Locale.ROOT, "warm-up: %d small files cut from the books ingested%n", count);
  }

  private static Run run(OnnxEmbedder onnx, Path dir, Path small, Path upload, String lastLine, boolean holdEmbedder)
      throws Exception {
    List<String> checks = new ArrayList<>();
    try (ServicePipeline p = new ServicePipeline(dir, onnx)) {
      if (holdEmbedder) {
        p.embedder().close(); // parsing alone: the embedder waits until everything is searchable
      }
      ThreadCpu threadCpu = new ThreadCpu();
      long cpu0 = ProcessCpu.nanos();
      long t0 = System.nanoTime();
      IngestJob job = p.service().submitLocalFolder("small", small);
      long t1 = System.nanoTime();
      await(() -> p.clock().pastParsing(job.id()), "small files");
      JobNumbers smallNumbers = JobNumbers.of(p.clock(), job.id(), t0, t1);
      double smallCores = ProcessCpu.cores(ProcessCpu.nanos() - cpu0, System.nanoTime() - t0);
      System.err.println("  small files, CPU seconds: " + threadCpu.summary(ProcessCpu.nanos() - cpu0));
      int found = 0;
      int sampled = 0;
      try (Stream<Path> list = Files.list(small)) {
        for (Path f : list.sorted().toList()) {
          if (sampled++ % 50 != 0) {
            continue;
          }
          String firstLine = Files.readAllLines(f, StandardCharsets.UTF_8).get(0);
          boolean hit = p.archive().lexicalSearch(new LexicalQuery(firstLine, SearchFilter.collection("small"), 20))
              .stream().anyMatch(h -> p.archive().reader().find(h.chunk().documentId())
                  .map(d -> d.sourcePath().endsWith(f.getFileName().toString())).orElse(false));
          found += hit ? 1 : 0;
        }
      }
      int samples = (sampled + 49) / 50;
      checks.add(String.format(Locale.ROOT, "%s: BM25 finds %d of %d sampled small files by their first line",
          found == samples ? "ok" : "FAILED", found, samples));

      long cpu1 = ProcessCpu.nanos();
      long u0 = System.nanoTime();
      IngestJob up = p.service().submit("upload", List.of(new Upload(upload.getFileName().toString(), null, upload)));
      long u1 = System.nanoTime();
      await(() -> p.clock().pastParsing(up.id()), "upload");
      p.embedder().open();
      JobNumbers uploadNumbers = JobNumbers.of(p.clock(), up.id(), u0, u1);
      double uploadCores = ProcessCpu.cores(ProcessCpu.nanos() - cpu1, System.nanoTime() - u0);
      boolean hit = p.archive().lexicalSearch(new LexicalQuery(lastLine, SearchFilter.collection("upload"), 3))
          .stream().findFirst().isPresent();
      checks.add((hit ? "ok" : "FAILED") + ": BM25 finds the upload's last line once it is searchable");
      return new Run(smallNumbers.searchableSeconds(), smallNumbers.intakeSeconds(), smallNumbers.megabytes(), smallNumbers.files(),
          smallNumbers.failed(), smallCores, uploadNumbers.searchableSeconds(), uploadCores, checks);
    } finally {
      StorageBenchmark.deleteTree(dir);
    }
  }

  private static String report(List<Run> runs, int files, long smallBytes, long uploadBytes, int warmUpFiles,
      String load, String commit) {
    StringBuilder md = new StringBuilder("# Time to searchable (issue 16)\n\n");
    md.append(String.format(Locale.ROOT, "Commit %s, %s. %d small files (%.2f MB, 1-10 KB each, SciFact abstracts);"
        + " a %.1f MB text upload. %d repetitions, each on a fresh data directory; the embedder (bge-small, 2"
        + " threads) runs beside, as in the service. Each repetition starts with no remembered token counts. Warm-up:"
        + " %s. Machine load: %s.%n%n", commit, LocalDateTime.now().withNano(0), files, smallBytes / 1e6,
        uploadBytes / 1e6, runs.size(), warmUpFiles > 0 ? "20 of the small files, then " + warmUpFiles
            + " small files cut from the books" : "20 of the small files", load));
    md.append("| repetition | small files to searchable | of which intake | MB/s | cores | 10 MB upload to searchable"
        + " | cores |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < runs.size(); i++) {
      Run r = runs.get(i);
      md.append(String.format(Locale.ROOT, "| %d | %.2f s (%d files, %d failed) | %.2f s | %.2f | %.2f | %.2f s | %.2f |%n",
          i + 1, r.smallSeconds(), r.smallFiles(), r.smallFailed(), r.smallIntakeSeconds(),
          r.smallMegabytes() / r.smallSeconds(),
          r.smallCores(), r.uploadSeconds(), r.uploadCores()));
    }
    double[] mbps = runs.stream().mapToDouble(r -> r.smallMegabytes() / r.smallSeconds()).toArray();
    double[] upload = runs.stream().mapToDouble(Run::uploadSeconds).toArray();
    md.append(String.format(Locale.ROOT, "| **median** | | | **%.2f** | | **%.2f s** | |%n%n", median(mbps),
        median(upload)));
    runs.stream().flatMap(r -> r.checks().stream()).distinct().forEach(c -> md.append("- ").append(c).append('\n'));
    return md.toString();
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
    long start = System.nanoTime();
    while (!done.getAsBoolean()) {
      Thread.sleep(2);
      if (System.nanoTime() - start > 1_800_000_000_000L) {
        throw new IllegalStateException(what + " did not become searchable within 30 minutes");
      }
    }
  }
}
