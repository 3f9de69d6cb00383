package rag.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * CPU time this JVM has used, to tell how many of the cores a phase really got: on a machine shared
 * with other work, a phase that could use every core may get less.
 */
final class ProcessCpu {
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private ProcessCpu() {}

  static long nanos() {
    return OS.getProcessCpuTime();
  }

  /** Cores in use on average between two readings of {@link #nanos()} taken {@code wallNanos} apart. */
  static double cores(long cpuNanos, long wallNanos) {
    return wallNanos <= 0 ? 0 : cpuNanos / (double) wallNanos;
  }
}
