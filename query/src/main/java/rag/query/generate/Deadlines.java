package rag.query.generate;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The one daemon thread that abandons answers whose deadline passed or whose stream stalled. */
final class Deadlines {
  private Deadlines() {}

  static final ScheduledExecutorService SCHEDULER = scheduler();

  private static ScheduledExecutorService scheduler() {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "model-answer-deadline");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }
}
