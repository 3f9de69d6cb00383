package rag.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a phase's CPU went: CPU time of the live threads by pool (thread names without their number), the JIT's and
 * the garbage collector's time (wall-clock, from their MX beans) and the process's total. Threads that ended within
 * the phase (Lucene's merge threads) and native threads (the ONNX runtime's) count only in the total.
 */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> start = new HashMap<>();
  private final long jit0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
  private final long gc0 = gcMillis();

  static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> b.getCollectionTime()).sum();
  }

  ThreadCpu() {
    for (long id : THREADS.getAllThreadIds()) {
      start.put(id, THREADS.getThreadCpuTime(id));
    }
  }

  /** One line: seconds per pool above 0.01 s, then the process's {@code processNanos}. */
  String summary(long processNanos) {
    StringBuilder line = new StringBuilder();
    since().forEach((pool, seconds) -> {
      if (seconds > 0.01) {
        line.append(String.format(Locale.ROOT, "%s %.2f, ", pool, seconds));
      }
    });
    return line.append(String.format(Locale.ROOT, "process %.2f", processNanos / 1e9)).toString();
  }

  /** Seconds of CPU per thread group since construction (threads that ended meanwhile are missing). */
  Map<String, Double> since() {
    Map<String, Double> groups = new TreeMap<>();
    for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long now = THREADS.getThreadCpuTime(info.getThreadId());
      long before = start.getOrDefault(info.getThreadId(), 0L);
      if (now > 0) {
        String pool = info.getThreadName().replaceAll("[-# ]*\\d+$", "");
        groups.merge(pool, (now - Math.max(0, before)) / 1e9, Double::sum);
      }
    }
    groups.put("JIT (wall)", (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0) / 1e3);
    groups.put("GC (wall)", (gcMillis() - gc0) / 1e3);
    return groups;
  }
}
