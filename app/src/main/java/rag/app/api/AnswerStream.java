package rag.app.api;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import rag.query.AnswerSink;
import rag.query.RoutedStep;

/**
 * Runs an answer on its own thread and hands its tokens, then its result (or failure), to the
 * thread that writes the HTTP response. The response waits for the first event, so that a model
 * server that fails before its first token still gets a proper problem response (502/503).
 */
final class AnswerStream<T> {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "answer-stream-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  /** An event: a token, a routed answer's step that found no answer, the final result, or the failure. */
  sealed interface Event<T> permits Token, Escalated, Done, Failed {}

  record Token<T>(String text) implements Event<T> {}

  record Escalated<T>(RoutedStep step) implements Event<T> {}

  record Done<T>(T result) implements Event<T> {}

  record Failed<T>(RuntimeException error) implements Event<T> {}

  private final BlockingQueue<Event<T>> events = new LinkedBlockingQueue<>();
  private volatile Future<?> task;

  private AnswerStream() {}

  static <T> AnswerStream<T> start(Function<AnswerSink, T> work) {
    AnswerStream<T> stream = new AnswerStream<>();
    AnswerSink sink = new AnswerSink() {
      @Override
      public void onToken(String token) {
        stream.events.add(new Token<>(token));
      }

      @Override
      public void onEscalation(RoutedStep step) {
        stream.events.add(new Escalated<>(step));
      }
    };
    stream.task = EXECUTOR.submit(() -> {
      try {
        stream.events.add(new Done<>(work.apply(sink)));
      } catch (RuntimeException e) {
        stream.events.add(new Failed<>(e));
      } catch (Error e) {
        stream.events.add(new Failed<>(new IllegalStateException("the answer failed: " + e, e)));
      }
    });
    return stream;
  }

  /**
   * Runs an answer that is cancelled when the client of {@code routing} goes away (before or while the response is
   * written): the answer's thread is interrupted, which ends its model request and frees its places in the bounds.
   */
  static <T> AnswerStream<T> startFor(RoutingContext routing, Function<AnswerSink, T> work) {
    AnswerStream<T> stream = start(work);
    routing.addEndHandler(ended -> stream.cancel()); // a no-op once the answer is done
    return stream;
  }

  /** Interrupts the answer if it is still running. */
  void cancel() {
    Future<?> running = task;
    if (running != null && running.cancel(true)) {
      // the reader must not wait for events that a task cancelled before it ran would never send
      events.add(new Failed<>(new CancellationException("the client went away")));
    }
  }

  /** Waits for the answer and returns it, or throws its failure. */
  T result() {
    for (Event<T> e = next(); ; e = next()) {
      if (e instanceof Done<T> done) {
        return done.result();
      }
      if (e instanceof Failed<T> failed) {
        throw failed.error();
      }
    }
  }

  /** The next event, waiting as long as it takes (the model client enforces the profile's timeout). */
  Event<T> next() {
    try {
      return events.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Failed<>(new IllegalStateException("interrupted while waiting for the answer"));
    }
  }

  /** Waits for the first event and rethrows a failure that came before any token. */
  Event<T> first() {
    Event<T> first = next();
    if (first instanceof Failed<T> failed) {
      throw failed.error();
    }
    return first;
  }
}
