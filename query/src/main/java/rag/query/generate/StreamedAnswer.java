package rag.query.generate;

import java.time.Duration;

/**
 * The answer as it streams in: passes tokens on to the sink, keeps their concatenation and the
 * timings. Once closed (answer complete, failed or abandoned) it passes nothing more on.
 * Tokens come from one thread at a time; {@link #close()} may come from another.
 */
final class StreamedAnswer {

  private final TokenSink sink;
  private final long startNanos = System.nanoTime();
  private final StringBuilder text = new StringBuilder();
  private volatile boolean closed;
  private volatile int tokens;
  private long firstTokenNanos = -1;

  StreamedAnswer(TokenSink sink) {
    this.sink = sink;
  }

  void accept(String token) {
    if (closed || token == null || token.isEmpty()) {
      return;
    }
    if (firstTokenNanos < 0) {
      firstTokenNanos = System.nanoTime();
    }
    text.append(token);
    tokens++;
    sink.onToken(token);
  }

  int tokens() {
    return tokens;
  }

  void close() {
    closed = true;
  }

  Generation complete(String finishReason, Integer promptTokens, Integer completionTokens) {
    close();
    long end = System.nanoTime();
    return new Generation(text.toString(), finishReason, promptTokens, completionTokens,
        firstTokenNanos < 0 ? null : Duration.ofNanos(firstTokenNanos - startNanos), Duration.ofNanos(end - startNanos));
  }

  /** Nanoseconds left until {@code timeout} after the start; negative when passed. */
  long nanosLeft(Duration timeout) {
    return startNanos + timeout.toNanos() - System.nanoTime();
  }
}
