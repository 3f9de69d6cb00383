package rag.app.cli;

import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import rag.ingest.IngestService;
import rag.storage.Archive;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobFile;

/**
 * {@code ingest <collection> <folder>}: ingests every file under the folder with the service's own
 * pipeline, shows a progress bar, then a per-file summary. Exit code 0 when every file succeeded
 * (or was unchanged), 1 when some failed, 2 for a usage error.
 */
public class IngestCommand implements QuarkusApplication {
  private static final int BAR_WIDTH = 30;

  @Inject
  IngestService ingest;

  @Inject
  Archive archive;

  @Override
  public int run(String... args) throws Exception {
    PrintStream out = System.out;
    if (args.length != 3) {
      System.err.println("usage: ingest <collection> <folder>");
      return 2;
    }
    String collection = args[1];
    IngestJob job;
    try {
      job = ingest.submitLocalFolder(collection, Path.of(args[2]));
    } catch (IllegalArgumentException | IngestService.QueueFullException e) {
      System.err.println("ingest: " + e.getMessage());
      return 2;
    }
    out.printf("job %s: %d files into collection '%s'%n", job.id(), job.files().size(), collection);
    while (true) {
      job = archive.jobs().find(job.id()).orElseThrow();
      out.print("\r" + progressLine(job));
      out.flush();
      if (job.done() == job.files().size()) {
        break;
      }
      Thread.sleep(250);
    }
    out.println();
    out.print(summary(job));
    return job.files().stream().anyMatch(f -> f.status() == FileStatus.FAILED) ? 1 : 0;
  }

  static String progressLine(IngestJob job) {
    int total = Math.max(1, job.files().size());
    int filled = (int) (BAR_WIDTH * job.done() / total);
    Map<String, Integer> counts = new TreeMap<>();
    job.files().forEach(f -> counts.merge(f.status().wireName(), 1, Integer::sum));
    StringBuilder line = new StringBuilder("[").append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled))
        .append("] ").append(job.done()).append('/').append(job.files().size()).append(" files");
    counts.forEach((status, n) -> line.append("  ").append(status).append(' ').append(n));
    return line.toString();
  }

  static String summary(IngestJob job) {
    StringBuilder s = new StringBuilder();
    long chunks = 0;
    long tokens = 0;
    for (JobFile f : job.files()) {
      s.append(String.format(Locale.ROOT, "%-10s %-9s %6s chunks %8s tokens  %s%s%n", f.status().wireName(),
          f.outcome() == null ? "" : f.outcome().wireName(), f.chunks() == null ? "-" : f.chunks(),
          f.tokens() == null ? "-" : f.tokens(), f.sourcePath(),
          f.error() == null ? "" : "  (" + f.error().title() + ": " + f.error().detail() + ")"));
      chunks += f.chunks() == null ? 0 : f.chunks();
      tokens += f.tokens() == null ? 0 : f.tokens();
    }
    long failed = job.files().stream().filter(f -> f.status() == FileStatus.FAILED).count();
    s.append(String.format(Locale.ROOT, "%s: %d files, %d failed, %d chunks, %d tokens%n",
        job.state().name().toLowerCase(Locale.ROOT), job.files().size(), failed, chunks, tokens));
    return s.toString();
  }
}
