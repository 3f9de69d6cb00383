package rag.bench;

import java.util.Arrays;

/** Collected durations in nanoseconds, reported as milliseconds at a percentile. */
final class Latencies {
  private long[] nanos = new long[256];
  private int n;

  void add(long durationNanos) {
    if (n == nanos.length) {
      nanos = Arrays.copyOf(nanos, n * 2);
    }
    nanos[n++] = durationNanos;
  }

  double percentileMillis(double p) {
    long[] sorted = Arrays.copyOf(nanos, n);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * n) - 1;
    return sorted[Math.max(0, Math.min(n - 1, index))] / 1e6;
  }

  String p50p95() {
    return String.format("%.2f / %.2f", percentileMillis(50), percentileMillis(95));
  }
}
