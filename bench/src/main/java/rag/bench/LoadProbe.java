package rag.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The service's resources, read from outside as an operator can: its Prometheus metrics ({@code /q/metrics}: heap,
 * threads, the catalog's pooled connections {@code rag_catalog_connections}, the Lucene searchers held open
 * {@code rag_lucene_searchers}) and {@code /proc/<pid>}: open file descriptors, and the index files mapped into memory
 * ({@code /proc/<pid>/maps} under the data directory's {@code lexical} and {@code vectors-*} folders), of which those
 * already deleted show a reader not released (it keeps its merged-away segments mapped).
 */
final class LoadProbe {
  /** The series judged for flatness in the soak, in report order. */
  static final List<String> SERIES = List.of("heap after GC (MB)", "live threads", "open fds", "catalog connections",
      "Lucene searchers open", "deleted mapped index files");
  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");

  private final LoadService service;
  private final LoadClient client;

  LoadProbe(LoadService service, LoadClient client) {
    this.service = service;
    this.client = client;
  }

  /**
   * One sample. With {@code gc}, a full collection first ({@code jcmd <pid> GC.run}), so that heap in use is heap after
   * GC; the other series need none.
   */
  Map<String, Double> sample(boolean gc) throws IOException, InterruptedException {
    if (gc) {
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          String.valueOf(service.pid()), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect
          .DISCARD).start();
      if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
        jcmd.destroyForcibly();
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    Map<String, Double> metrics = metrics();
    // a full collection leaves every live object in the old generation; eden fills again at once under load
    out.put("heap after GC (MB)", metrics.entrySet().stream()
        .filter(e -> e.getKey().startsWith("jvm_memory_used_bytes{area=\"heap\"")
            && (e.getKey().contains("Old Gen") || e.getKey().contains("Tenured Gen")))
        .mapToDouble(Map.Entry::getValue).sum() / 1e6);
    out.put("heap in use (MB)", sum(metrics, "jvm_memory_used_bytes{area=\"heap\"") / 1e6);
    out.put("live threads", metrics.getOrDefault("jvm_threads_live_threads", Double.NaN));
    Path proc = Path.of("/proc", String.valueOf(service.pid()));
    Path data = service.dataDir().toRealPath();
    int fds = 0;
    int catalog = 0;
    try (Stream<Path> list = Files.list(proc.resolve("fd"))) {
      for (Path fd : list.toList()) {
        fds++;
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.equals(data.resolve("catalog.db").toString())) {
            catalog++;
          }
        } catch (IOException gone) {
          // closed while listing
        }
      }
    }
    out.put("open fds", (double) fds);
    out.put("catalog connections", metrics.getOrDefault("rag_catalog_connections{state=\"active\"}", Double.NaN)
        + metrics.getOrDefault("rag_catalog_connections{state=\"idle\"}", Double.NaN));
    out.put("catalog connections waited for", metrics.getOrDefault("rag_catalog_connections{state=\"pending\"}",
        Double.NaN));
    out.put("fds on catalog.db", (double) catalog);
    out.put("Lucene searchers open", metrics.getOrDefault("rag_lucene_searchers{state=\"open\"}", Double.NaN));
    out.put("Lucene searchers in use", metrics.getOrDefault("rag_lucene_searchers{state=\"in_use\"}", Double.NaN));
    Set<String> mapped = new HashSet<>();
    Set<String> deleted = new HashSet<>();
    for (String line : Files.readAllLines(proc.resolve("maps"), StandardCharsets.UTF_8)) {
      int slash = line.indexOf(" /");
      if (slash < 0) {
        continue;
      }
      String path = line.substring(slash + 1).strip();
      boolean gone = path.endsWith(" (deleted)");
      if (gone) {
        path = path.substring(0, path.length() - " (deleted)".length());
      }
      if (path.startsWith(data + "/lexical") || path.startsWith(data + "/vectors-")) {
        mapped.add(path);
        if (gone) {
          deleted.add(path);
        }
      }
    }
    out.put("mapped index files", (double) mapped.size());
    out.put("deleted mapped index files", (double) deleted.size());
    out.put("data dir (MB)", size(data) / 1e6);
    out.put("process_files_open_files", metrics.getOrDefault("process_files_open_files", Double.NaN));
    out.put("old gen live data (MB)", metrics.getOrDefault("jvm_gc_live_data_size_bytes", Double.NaN) / 1e6);
    out.put("http connections", sum(metrics, "http_server_active_connections"));
    out.put("model in use", sum(metrics, "rag_admission_in_use{bound=\"model:"));
    out.put("model waiting", sum(metrics, "rag_admission_waiting{bound=\"model:"));
    out.put("model shed total", sum(metrics, "rag_admission_shed_total{bound=\"model:"));
    out.put("embeddings waiting", sum(metrics, "rag_admission_waiting{bound=\"question-embeddings\""));
    out.put("embeddings shed total", sum(metrics, "rag_admission_shed_total{bound=\"question-embeddings\""));
    out.put("worker queue", sum(metrics, "worker_pool_queue_size{pool_name=\"vert.x-worker-thread\""));
    return out;
  }

  /** Every sample of {@code /q/metrics}, keyed by name and labels as written. */
  Map<String, Double> metrics() {
    Map<String, Double> values = new LinkedHashMap<>();
    LoadClient.Reply reply = client.get("/q/metrics");
    if (reply.status() != 200) {
      return values;
    }
    for (String line : reply.body().split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (m.find()) {
        try {
          values.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        } catch (NumberFormatException e) {
          // NaN written otherwise
        }
      }
    }
    return values;
  }

  /** Bytes of the files under {@code dir}; files deleted while it walks are skipped. */
  private static long size(Path dir) {
    long[] total = {0};
    try {
      Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
        @Override
        public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
          total[0] += attrs.size();
          return java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
          return java.nio.file.FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      return -1;
    }
    return total[0];
  }

  private static double sum(Map<String, Double> metrics, String prefix) {
    return metrics.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue)
        .sum();
  }
}
