package rag.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's 1-minute load average (/proc/loadavg), sampled every 15 s while the benchmark runs:
 * the machine is shared, and a load above the core count means other work took CPU from the phases.
 */
final class MachineLoad implements AutoCloseable {
  private final List<Double> samples = new ArrayList<>();
  private final Thread sampler;

  MachineLoad() {
    sampler = new Thread(() -> {
      while (true) {
        double load = oneMinute();
        if (!Double.isNaN(load)) {
          synchronized (samples) {
            samples.add(load);
          }
        }
        try {
          Thread.sleep(15_000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "machine-load");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Minimum, median and maximum of the samples so far. */
  String summary() {
    List<Double> sorted;
    synchronized (samples) {
      sorted = samples.stream().sorted().toList();
    }
    if (sorted.isEmpty()) {
      return "not available";
    }
    return String.format("%.1f / %.1f / %.1f (min / median / max of %d samples)", sorted.get(0),
        sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), sorted.size());
  }

  private static double oneMinute() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  @Override
  public void close() {
    sampler.interrupt();
  }
}
