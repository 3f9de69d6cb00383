package rag.query.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.time.Duration;
import java.util.function.BiFunction;

/**
 * A LangChain4j HTTP client that hands each streamed response body to an {@link AbandonableStream}
 * before parsing it, so that a caller whose deadline passes can close it. LangChain4j's own
 * {@code StreamingHandle} only reaches the caller with the first token: too late for a server that
 * stalls before answering, and the JDK's request timeout stops counting once the headers are in.
 *
 * <p>It also turns an error event in the stream (vLLM's {@code data: {"error":{...}}} when generation
 * fails) into an {@link ErrorEvent} failure; LangChain4j would skip it as a chunk without choices
 * and report a truncated answer as complete. Every event is reported to the answer's {@link StallWatch}.
 */
final class BodyExposingHttpClient implements HttpClient {

  private final HttpClient delegate;
  private final AbandonableStream stream;
  private final StallWatch stallWatch;

  private BodyExposingHttpClient(HttpClient delegate, AbandonableStream stream, StallWatch stallWatch) {
    this.delegate = delegate;
    this.stream = stream;
    this.stallWatch = stallWatch;
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) throws HttpException {
    return delegate.execute(request);
  }

  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    delegate.execute(request, (body, bodyListener) -> {
      stream.opened(body);
      parser.parse(body, bodyListener);
    }, new ErrorEventSpotter(listener, stallWatch));
  }

  /** The data of an error event in an answer stream. */
  static final class ErrorEvent extends RuntimeException {

    final String data;

    ErrorEvent(String data) {
      super("error event in the answer stream: " + data);
      this.data = data;
    }
  }

  private static final class ErrorEventSpotter implements ServerSentEventListener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final java.util.regex.Pattern FINISHED =
        java.util.regex.Pattern.compile("\"finish_reason\"\\s*:\\s*\"");

    private final ServerSentEventListener listener;
    private final StallWatch stallWatch;
    private volatile boolean finished;
    private volatile boolean failed;

    ErrorEventSpotter(ServerSentEventListener listener, StallWatch stallWatch) {
      this.listener = listener;
      this.stallWatch = stallWatch;
    }

    @Override
    public void onOpen(SuccessfulHttpResponse response) {
      listener.onOpen(response);
    }

    @Override
    public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
      stallWatch.event();
      noteEnd(event.data());
      if (isErrorEvent(event.data())) {
        context.parsingHandle().cancel();
        listener.onError(new ErrorEvent(event.data()));
      } else {
        listener.onEvent(event, context);
      }
    }

    @Override
    public void onEvent(ServerSentEvent event) {
      stallWatch.event();
      noteEnd(event.data());
      if (isErrorEvent(event.data())) {
        listener.onError(new ErrorEvent(event.data()));
      } else {
        listener.onEvent(event);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      failed = true;
      listener.onError(throwable);
    }

    /** A stream that ends with neither a finish reason nor [DONE] was cut short: an error, not an answer. */
    @Override
    public void onClose() {
      if (!finished && !failed) {
        listener.onError(new CutShort());
      } else {
        listener.onClose();
      }
    }

    private void noteEnd(String data) {
      if (data != null && (data.strip().equals("[DONE]") || FINISHED.matcher(data).find())) {
        finished = true;
      }
    }

    private static boolean isErrorEvent(String data) {
      if (data == null || !data.contains("\"error\"")) {
        return false;
      }
      try {
        return ServerErrors.isErrorEvent(JSON.readTree(data));
      } catch (IOException notJson) {
        return false; // LangChain4j reports it when it parses the event
      }
    }
  }

  /** The answer stream ended before a finish reason or [DONE]. */
  static final class CutShort extends RuntimeException {
    CutShort() {
      super("the answer stream ended without a finish reason or [DONE]", null, false, false);
    }
  }

  /** Builds, for one call, a client over a shared one chosen by the timeouts LangChain4j sets. */
  static final class Builder implements HttpClientBuilder {

    private final BiFunction<Duration, Duration, HttpClient> sharedClients;
    private final AbandonableStream stream;
    private final StallWatch stallWatch;
    private Duration connectTimeout;
    private Duration readTimeout;

    Builder(BiFunction<Duration, Duration, HttpClient> sharedClients, AbandonableStream stream,
        StallWatch stallWatch) {
      this.sharedClients = sharedClients;
      this.stream = stream;
      this.stallWatch = stallWatch;
    }

    @Override
    public Duration connectTimeout() {
      return connectTimeout;
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
      connectTimeout = timeout;
      return this;
    }

    @Override
    public Duration readTimeout() {
      return readTimeout;
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
      readTimeout = timeout;
      return this;
    }

    @Override
    public HttpClient build() {
      return new BodyExposingHttpClient(sharedClients.apply(connectTimeout, readTimeout), stream, stallWatch);
    }
  }
}
