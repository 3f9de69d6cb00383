package rag.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What one level (or the soak) measured, per operation: latencies of the successful requests (HdrHistogram, in
 * microseconds, 3 significant digits, up to 30 minutes), and counts of successes, shed requests (503 or 429 with
 * {@code Retry-After} and a problem+json body, as the service documents its bounds) and errors (any other non-2xx, a
 * timeout, an exception, a chat stream ending in an {@code error} event or without {@code done}), with a few error
 * samples.
 */
final class LoadStats {
  static final int SAMPLES_PER_OPERATION = 5;

  /** Everything measured for one operation. */
  static final class PerOp {
    final Histogram latencyMicros = new ConcurrentHistogram(1, 30L * 60 * 1_000_000, 3);
    final LongAdder ok = new LongAdder();
    final LongAdder shed = new LongAdder();
    final LongAdder errors = new LongAdder();
    final Map<String, LongAdder> shedTypes = new ConcurrentHashMap<>();
    final List<String> errorSamples = new ArrayList<>();

    double percentileMillis(double p) {
      return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(p) / 1000.0;
    }
  }

  private final Map<LoadOp, PerOp> ops = new EnumMap<>(LoadOp.class);

  LoadStats() {
    for (LoadOp op : LoadOp.values()) {
      ops.put(op, new PerOp());
    }
  }

  PerOp of(LoadOp op) {
    return ops.get(op);
  }

  void record(LoadOp op, LoadOutcome outcome, long nanos) {
    PerOp p = ops.get(op);
    switch (outcome.kind()) {
      case OK -> {
        p.ok.increment();
        p.latencyMicros.recordValue(Math.max(1, Math.min(nanos / 1000, p.latencyMicros.getHighestTrackableValue())));
      }
      case SHED -> {
        p.shed.increment();
        p.shedTypes.computeIfAbsent(outcome.status() + " " + outcome.detail(), k -> new LongAdder()).increment();
      }
      case ERROR -> {
        p.errors.increment();
        synchronized (p.errorSamples) {
          if (p.errorSamples.size() < SAMPLES_PER_OPERATION) {
            p.errorSamples.add(outcome.status() + " after " + nanos / 1_000_000 + " ms: " + outcome.detail());
          }
        }
      }
    }
  }

  long totalOk() {
    return ops.values().stream().mapToLong(p -> p.ok.sum()).sum();
  }

  long total(java.util.function.Function<PerOp, LongAdder> counter) {
    return ops.values().stream().mapToLong(p -> counter.apply(p).sum()).sum();
  }
}
