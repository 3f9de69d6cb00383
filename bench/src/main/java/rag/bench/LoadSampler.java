package rag.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Samples the machine's 1-minute load average (/proc/loadavg) every 10 s while a benchmark runs: these machines
 * are shared, and a load above the core count means other work took CPU from the run.
 */
final class LoadSampler implements AutoCloseable {
  private final List<Double> samples = new ArrayList<>();
  private final Thread thread;

  LoadSampler() {
    thread = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        double load = now();
        synchronized (samples) {
          samples.add(load);
        }
        try {
          Thread.sleep(10_000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "load-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  static double now() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** "load average min/median/max a/b/c over n samples". */
  String summary() {
    List<Double> sorted;
    synchronized (samples) {
      sorted = samples.stream().filter(d -> !d.isNaN()).sorted().toList();
    }
    if (sorted.isEmpty()) {
      return "load average unknown";
    }
    return String.format(Locale.ROOT, "load average min/median/max %.1f/%.1f/%.1f over %d samples",
        sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), sorted.size());
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
