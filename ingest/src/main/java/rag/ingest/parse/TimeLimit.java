package rag.ingest.parse;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.tika.mime.MediaType;

/**
 * Runs a parse in a worker thread and gives up after a timeout. A parser stuck in a loop cannot be
 * stopped from outside: on timeout its thread is interrupted and abandoned (it is a daemon thread,
 * so it does not keep the JVM alive) and the caller gets {@link FailureKind#TIMEOUT} at once.
 */
final class TimeLimit {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService WORKERS = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "rag-parse-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  });

  private TimeLimit() {}

  static <T> T call(Callable<T> parse, Duration timeout) throws ParseFailure {
    Future<T> future = WORKERS.submit(parse);
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ParseFailure(FailureKind.TIMEOUT, "parsing took longer than " + describe(timeout)
          + " and was stopped; the file may be malformed or too complex", e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ParseFailure(FailureKind.TIMEOUT, "parsing was interrupted", e);
    } catch (ExecutionException e) {
      throw Failures.map(e.getCause(), (MediaType) null);
    }
  }

  private static String describe(Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
