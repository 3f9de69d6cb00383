package rag.query.generate;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * Abandons an answer whose stream goes quiet for longer than the stall timeout. The clock starts
 * with the first answer token ({@link #token()}): before it the server is prefilling the prompt,
 * which may take minutes for a long one and which only the overall timeout bounds. After it, every
 * event of the stream ({@link #event()}) winds the clock back. One check is scheduled at a time, not
 * one per token.
 */
final class StallWatch implements AutoCloseable {

  private final long stallNanos;
  private final Runnable onStall;
  private volatile long lastEventNanos;
  private volatile boolean stalled;
  private volatile boolean armed;
  private ScheduledFuture<?> check;
  private boolean closed;

  /** @param stallTimeout null for no limit */
  StallWatch(Duration stallTimeout, Runnable onStall) {
    this.stallNanos = stallTimeout == null ? 0 : stallTimeout.toNanos();
    this.onStall = onStall;
  }

  /** An answer token arrived: from the first on, a pause longer than the stall timeout abandons the answer. */
  void token() {
    lastEventNanos = System.nanoTime();
    if (!armed) {
      arm();
    }
  }

  private synchronized void arm() {
    armed = true;
    if (stallNanos > 0 && !closed) {
      check = Deadlines.SCHEDULER.schedule(this::check, stallNanos, NANOSECONDS);
    }
  }

  /** Something arrived on the stream. */
  void event() {
    lastEventNanos = System.nanoTime();
  }

  /** True once the answer was abandoned for its stall. */
  boolean stalled() {
    return stalled;
  }

  private synchronized void check() {
    if (closed) {
      return;
    }
    long quiet = System.nanoTime() - lastEventNanos;
    if (quiet >= stallNanos) {
      stalled = true;
      onStall.run();
    } else {
      check = Deadlines.SCHEDULER.schedule(this::check, stallNanos - quiet, NANOSECONDS);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (check != null) {
      check.cancel(false);
    }
  }
}
