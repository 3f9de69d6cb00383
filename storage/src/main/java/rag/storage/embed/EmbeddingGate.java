package rag.storage.embed;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Lets background embedding give way to more urgent work on the same cores. Work wrapped in {@link #giveWayWhile}
 * embeds as usual, except that while the condition holds the in-process embedder starts none of its texts (a text
 * already running finishes, a fraction of a second), each text waiting up to {@code maxWait}. Ingest wraps its
 * embedding so that a file waiting to be parsed gets both cores within one text instead of after a whole batch;
 * embeddings made outside (a question's) are never held.
 */
public final class EmbeddingGate {
  private static final ThreadLocal<Gate> CURRENT = new ThreadLocal<>();

  private EmbeddingGate() {}

  public static <T> T giveWayWhile(BooleanSupplier condition, Duration maxWait, Supplier<T> work) {
    Gate previous = CURRENT.get();
    CURRENT.set(new Gate(condition, maxWait.toNanos()));
    try {
      return work.get();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** The task, held by the calling thread's gate before it starts on another thread (as it is when there is none). */
  static Runnable held(Runnable task) {
    Gate gate = CURRENT.get();
    return gate == null ? task : () -> {
      gate.await();
      task.run();
    };
  }

  private record Gate(BooleanSupplier condition, long maxWaitNanos) {
    void await() {
      long until = System.nanoTime() + maxWaitNanos;
      while (condition.getAsBoolean() && System.nanoTime() - until < 0) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
