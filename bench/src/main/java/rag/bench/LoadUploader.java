package rag.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The background bulk upload: the pool's files in multipart uploads of {@code batch} files under
 * {@code bulk/r<round>/}, each job awaited before the next upload; after a round, its documents are deleted one by one,
 * so that the collection swings between its base and base + pool instead of growing through a soak. Uploads and
 * deletions are recorded as operations of the stats in {@link #stats}; files a job failed are counted and sampled.
 */
final class LoadUploader implements AutoCloseable {
  final AtomicReference<LoadStats> stats;
  final AtomicInteger filesDone = new AtomicInteger();
  final AtomicInteger filesFailed = new AtomicInteger();
  final AtomicInteger rounds = new AtomicInteger();
  final List<String> failures = new ArrayList<>();
  private final LoadClient client;
  private final List<Path> pool;
  private final int batch;
  private final Thread thread;
  private volatile boolean running = true;

  LoadUploader(LoadClient client, List<Path> pool, int batch, LoadStats initial) {
    this.client = client;
    this.pool = pool;
    this.batch = batch;
    this.stats = new AtomicReference<>(initial);
    this.thread = new Thread(this::run, "load-uploader");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void run() {
    for (int round = 0; running && !pool.isEmpty(); round++) {
      List<String> documents = new ArrayList<>();
      for (int from = 0; running && from < pool.size(); from += batch) {
        List<Path> files = pool.subList(from, Math.min(pool.size(), from + batch));
        long t0 = System.nanoTime();
        LoadClient.Reply reply;
        try {
          reply = client.upload(files, "bulk/r" + round + "/");
        } catch (Exception e) {
          if (!running) {
            return;
          }
          stats.get().record(LoadOp.UPLOAD, LoadOutcome.error(0, e.toString()), System.nanoTime() - t0);
          pause(1000);
          continue;
        }
        if (!running) {
          return; // interrupted by close(): not an outcome of the service
        }
        LoadOutcome outcome = reply.outcome();
        stats.get().record(LoadOp.UPLOAD, outcome, System.nanoTime() - t0);
        if (outcome.kind() == LoadOutcome.Kind.SHED) {
          pause(1000L * Long.parseLong(reply.headers().firstValue("Retry-After").orElse("1").strip()));
          from -= batch; // the same files again
          continue;
        }
        if (outcome.kind() != LoadOutcome.Kind.OK) {
          pause(1000);
          continue;
        }
        try {
          JsonNode job = client.awaitJob(reply.json().path("jobId").asText(), Duration.ofMinutes(10));
          if (job == null) {
            note("job " + reply.json().path("jobId").asText() + " did not end within 10 minutes");
            continue;
          }
          for (JsonNode file : job.path("files")) {
            String status = file.path("status").asText();
            if (file.hasNonNull("documentId") && !file.path("documentId").asText().isEmpty()) {
              documents.add(file.path("documentId").asText());
            }
            if (status.equals("failed")) {
              filesFailed.incrementAndGet();
              note(file.path("name").asText() + ": " + file.path("error").toString());
            } else {
              filesDone.incrementAndGet();
            }
          }
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          note("polling the job: " + e);
        }
      }
      for (String id : documents) {
        long t0 = System.nanoTime();
        LoadOutcome deleted = client.delete("/api/documents/" + id).outcome();
        if (!running) {
          return;
        }
        stats.get().record(LoadOp.DELETE, deleted, System.nanoTime() - t0);
      }
      rounds.incrementAndGet();
    }
  }

  private void note(String failure) {
    synchronized (failures) {
      if (failures.size() < 10) {
        failures.add(failure);
      }
    }
  }

  private void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      running = false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(60_000);
  }
}
