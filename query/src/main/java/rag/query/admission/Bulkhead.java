package rag.query.admission;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bound on work in progress, in units (requests, or tokens for stuffed prompts). {@link #acquire} admits at once
 * while the units in use stay within the capacity; otherwise the caller waits, first come first served, if fewer than
 * {@code maxWaiting} already wait, and for at most {@code maxWait}. Everything else is refused at once with an
 * {@link OverloadedException}. One request larger than the whole capacity is admitted alone (it counts as the whole
 * capacity), so a bound never makes a request impossible, only sequential.
 *
 * <p>A caller interrupted while waiting (its client went away) leaves the queue with a {@link CancellationException}.
 */
public final class Bulkhead {
  /** Held while the work runs; closing it releases its units exactly once. */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  private static final Permit NOTHING = () -> { };

  private final String name;
  private final long capacity;
  private final int maxWaiting;
  private final Duration maxWait;
  private final ReentrantLock lock = new ReentrantLock(true);
  private final Condition released = lock.newCondition();
  private long inUse;
  private int waiting;
  private long nextTicket;
  private long servingTicket;
  private final Set<Long> abandoned = new HashSet<>(); // tickets of waiters that left before their turn
  private final AtomicLong shed = new AtomicLong();
  private final AtomicLong admitted = new AtomicLong();

  public Bulkhead(String name, long capacity, int maxWaiting, Duration maxWait) {
    if (capacity < 1 || maxWaiting < 0 || maxWait.isNegative()) {
      throw new IllegalArgumentException("illegal bound " + name + ": capacity " + capacity + " (at least 1), "
          + maxWaiting + " waiting (at least 0), wait " + maxWait + " (not negative)");
    }
    this.name = name;
    this.capacity = capacity;
    this.maxWaiting = maxWaiting;
    this.maxWait = maxWait;
  }

  /** A bulkhead that admits everything (and counts nothing). */
  public static Bulkhead unbounded(String name) {
    return new Bulkhead(name, Long.MAX_VALUE, 0, Duration.ZERO);
  }

  /**
   * Takes {@code units} (at most the capacity is counted), waiting in turn if they are not free.
   *
   * @throws OverloadedException when the waiting places are taken or the wait runs out
   * @throws CancellationException when the thread is interrupted while waiting (its flag is set again)
   */
  public Permit acquire(long units) {
    if (capacity == Long.MAX_VALUE) {
      return NOTHING;
    }
    long taken = Math.max(1, Math.min(units, capacity));
    lock.lock();
    try {
      if (waiting == 0 && inUse + taken <= capacity) {
        return admit(taken);
      }
      if (waiting >= maxWaiting) {
        throw refuse(String.format(Locale.ROOT, "%s is at capacity (%,d of %,d in use, %d waiting, the most"
            + " allowed); try again shortly", name, inUse, capacity, waiting));
      }
      long ticket = nextTicket++;
      waiting++;
      try {
        long left = maxWait.toNanos();
        while (ticket != servingTicket || inUse + taken > capacity) {
          if (left <= 0) {
            throw refuse(String.format(Locale.ROOT, "%s stayed at capacity (%,d of %,d in use) for the %d ms"
                + " a request may wait; try again shortly", name, inUse, capacity, maxWait.toMillis()));
          }
          left = released.awaitNanos(left);
        }
        servingTicket++;
        drainAbandoned(); // and the next in line may fit too
        return admit(taken);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancellationException("cancelled while waiting for " + name);
      } finally {
        waiting--;
        if (ticket >= servingTicket) { // refused or cancelled: later tickets must not wait behind it
          abandoned.add(ticket);
          drainAbandoned();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void drainAbandoned() {
    while (abandoned.remove(servingTicket)) {
      servingTicket++;
    }
    released.signalAll();
  }

  private Permit admit(long taken) {
    inUse += taken;
    admitted.incrementAndGet();
    return new Permit() {
      private boolean closed;

      @Override
      public void close() {
        lock.lock();
        try {
          if (!closed) {
            closed = true;
            inUse -= taken;
            released.signalAll();
          }
        } finally {
          lock.unlock();
        }
      }
    };
  }

  private OverloadedException refuse(String message) {
    shed.incrementAndGet();
    return new OverloadedException(name, message);
  }

  public String name() {
    return name;
  }

  public long capacity() {
    return capacity;
  }

  public long inUse() {
    lock.lock();
    try {
      return inUse;
    } finally {
      lock.unlock();
    }
  }

  public int waiting() {
    lock.lock();
    try {
      return waiting;
    } finally {
      lock.unlock();
    }
  }

  /** Requests refused since start. */
  public long shed() {
    return shed.get();
  }

  /** Requests admitted since start. */
  public long admitted() {
    return admitted.get();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s (capacity %,d, %d may wait %d ms)", name, capacity, maxWaiting,
        maxWait.toMillis());
  }
}
