package rag.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Peak heap between {@link #reset()} and a read, two ways: heap in use as sampled every 10 ms from
 * the MemoryMXBean (includes garbage not yet collected, so it follows the young generation's size),
 * and heap in use right after each garbage collection (from the collectors' notifications: the
 * high-water mark of what survived, the better measure of what a phase needs).
 */
final class HeapWatch implements AutoCloseable {
  private final AtomicLong peakUsed = new AtomicLong();
  private final AtomicLong peakAfterGc = new AtomicLong();
  private final AtomicLong peakCommitted = new AtomicLong();
  private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
  private final Thread sampler;
  private volatile boolean running = true;

  HeapWatch() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
          GarbageCollectionNotificationInfo info =
              GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
          long after = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
              .filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
          peakAfterGc.accumulateAndGet(after, Math::max);
        }
      }, null, null);
    }
    sampler = new Thread(() -> {
      while (running) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        peakUsed.accumulateAndGet(heap.getUsed(), Math::max);
        peakCommitted.accumulateAndGet(heap.getCommitted(), Math::max);
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-watch");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Peak heap in use and peak heap after a collection, in bytes, since the last reset. */
  record Peak(long usedBytes, long afterGcBytes) {
    String mib() {
      return String.format("%.0f / %.0f", usedBytes / 1048576.0, afterGcBytes / 1048576.0);
    }
  }

  void reset() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    peakUsed.set(heap.getUsed());
    peakAfterGc.set(0);
    peakCommitted.set(heap.getCommitted());
  }

  Peak peak() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    peakUsed.accumulateAndGet(heap.getUsed(), Math::max);
    peakCommitted.accumulateAndGet(heap.getCommitted(), Math::max);
    return new Peak(peakUsed.get(), peakAfterGc.get());
  }

  /** Peak heap committed (sampled) since the last reset, in bytes: what the JVM took from the system for its heap. */
  long peakCommitted() {
    return peakCommitted.get();
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
  }
}
