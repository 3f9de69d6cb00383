package rag.query.generate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import rag.query.generate.ModelException.Kind;

/**
 * Generation for prompts too large to build in memory: the same streaming {@code /chat/completions}
 * request as {@link LangChainModelClient} sends, on the JDK HTTP client, with the JSON body written
 * by the calling thread into a pipe that the client sends from as chunked transfer encoding, each
 * message's content escaped straight from its {@link PromptText}. The answer's server-sent events
 * are read on the calling thread. When the endpoint's timeout passes, or its stall timeout once
 * answer tokens flow, a watchdog closes the pipe and the response and cancels the exchange.
 */
public final class StreamingRequestModelClient implements ModelClient {

  private static final Logger LOG = Logger.getLogger(StreamingRequestModelClient.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(CONNECT_TIMEOUT)
      .build();
  private final ObjectMapper json = new ObjectMapper();

  @Override
  public Generation generate(ModelEndpoint endpoint, List<PromptMessage> messages, TokenSink sink) {
    StreamedAnswer answer = new StreamedAnswer(sink);
    Pipe pipe = openPipe(endpoint);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/chat/completions"))
        .timeout(endpoint.timeout())
        .header("Content-Type", "application/json")
        .header("Accept", "text/event-stream")
        .POST(BodyPublishers.ofInputStream(() -> Channels.newInputStream(pipe.source())));
    if (endpoint.apiKey() != null) {
      request.header("Authorization", "Bearer " + endpoint.apiKey());
    }
    CompletableFuture<HttpResponse<InputStream>> pending = http.sendAsync(request.build(), InterruptibleBody.handler());
    // once the server has answered (or the exchange failed) nobody reads the pipe any more: unblock the writer
    pending.whenComplete((response, failure) -> closeQuietly(pipe.source()));
    AbandonableStream responseBody = new AbandonableStream();
    Runnable abandon = () -> {
      responseBody.abandon();
      pending.cancel(true);
      closeQuietly(pipe.source());
    };
    AtomicBoolean deadlinePassed = new AtomicBoolean();
    ScheduledFuture<?> deadline = Deadlines.SCHEDULER.schedule(() -> {
      deadlinePassed.set(true);
      abandon.run();
    }, endpoint.timeout().toNanos(), NANOSECONDS);
    StallWatch stallWatch = new StallWatch(endpoint.stallTimeout(), abandon);
    // why an abandoned answer ended; null while it was not abandoned
    Supplier<ModelException> abandoned = () -> stallWatch.stalled()
        ? ServerErrors.stalled(endpoint, answer.tokens())
        : deadlinePassed.get() ? ServerErrors.deadlinePassed(endpoint, answer.tokens()) : null;
    try {
      IOException bodyFailure = writeBody(endpoint, messages, pipe);
      HttpResponse<InputStream> response = pending.get();
      responseBody.opened(response.body());
      if (response.statusCode() < 200 || response.statusCode() > 299) {
        throw ServerErrors.forStatus(endpoint, response.statusCode(), readError(response.body()), null);
      }
      if (bodyFailure != null) {
        throw ServerErrors.forFailure(endpoint, bodyFailure);
      }
      Generation generation = readAnswer(endpoint, response.body(), answer, stallWatch);
      throwIfInterrupted(endpoint);
      ModelException why = abandoned.get();
      if (why != null) {
        throw why;
      }
      return generation;
    } catch (CancellationException | ExecutionException | IOException e) {
      throwIfInterrupted(endpoint);
      ModelException why = abandoned.get();
      if (why != null) {
        throw why;
      }
      throw ServerErrors.forFailure(endpoint, e instanceof ExecutionException ? e.getCause() : e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.cancel(true);
      throw new CancellationException("generation by " + endpoint.describe() + " was interrupted");
    } catch (ModelException e) {
      ModelException why = abandoned.get();
      throw why != null ? why : e;
    } finally {
      deadline.cancel(false);
      stallWatch.close();
      pending.cancel(true);
      answer.close();
      responseBody.abandon();
      closeQuietly(pipe.sink());
      closeQuietly(pipe.source());
    }
  }

  private static void throwIfInterrupted(ModelEndpoint endpoint) {
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("generation by " + endpoint.describe() + " was interrupted");
    }
  }

  /**
   * Writes the request body into the pipe. A failure to send is returned, not thrown: it usually
   * means the server answered (an error) before taking the whole body, or the deadline passed, and
   * the response tells which. A prompt text that cannot be written out is thrown.
   */
  private static IOException writeBody(ModelEndpoint endpoint, List<PromptMessage> messages, Pipe pipe) {
    try (Writer body = new OutputStreamWriter(new SendingStream(Channels.newOutputStream(pipe.sink())), UTF_8)) {
      ChatRequestJson.write(endpoint, messages, body);
      return null;
    } catch (SendFailure e) {
      LOG.debugf(e, "request body to %s not fully sent", endpoint.describe());
      return e;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write out the prompt for " + endpoint.describe() + ": "
          + e.getMessage(), e);
    }
  }

  /** The pipe to the HTTP client: marks its failures apart from those of the prompt text being written. */
  private static final class SendingStream extends OutputStream {

    private final OutputStream pipe;

    SendingStream(OutputStream pipe) {
      this.pipe = pipe;
    }

    @Override
    public void write(int b) throws SendFailure {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws SendFailure {
      try {
        pipe.write(bytes, offset, length);
      } catch (IOException e) {
        throw new SendFailure(e);
      }
    }

    @Override
    public void close() throws SendFailure {
      try {
        pipe.close();
      } catch (IOException e) {
        throw new SendFailure(e);
      }
    }
  }

  private static final class SendFailure extends IOException {

    SendFailure(IOException cause) {
      super("request body not sent: " + cause.getMessage(), cause);
    }
  }

  private Generation readAnswer(ModelEndpoint endpoint, InputStream body, StreamedAnswer answer,
      StallWatch stallWatch) throws IOException {
    AnswerEvents events = new AnswerEvents(endpoint, answer, stallWatch);
    BufferedReader reader = new BufferedReader(new InputStreamReader(body, UTF_8));
    StringBuilder data = new StringBuilder();
    String line;
    while (!events.done && (line = reader.readLine()) != null) {
      if (line.startsWith("data:")) {
        if (!data.isEmpty()) {
          data.append('\n');
        }
        data.append(line, line.startsWith("data: ") ? 6 : 5, line.length());
      } else if (line.isEmpty() && !data.isEmpty()) {
        events.accept(data.toString());
        data.setLength(0);
      }
    }
    if (!events.done && !data.isEmpty()) {
      events.accept(data.toString());
    }
    if (events.count == 0) {
      throw new ModelException(Kind.BAD_RESPONSE, null, null,
          endpoint.describe() + " answered without server-sent events (is it OpenAI-compatible?)", null);
    }
    if (!events.done && events.finishReason == null && !Thread.currentThread().isInterrupted()
        && !stallWatch.stalled()) {
      throw ServerErrors.cutShort(endpoint, answer.tokens());
    }
    return answer.complete(events.finishReason, events.promptTokens, events.completionTokens);
  }

  /** The chat completion chunks of one answer. */
  private final class AnswerEvents {

    private final ModelEndpoint endpoint;
    private final StreamedAnswer answer;
    private final StallWatch stallWatch;
    private int count;
    private boolean done;
    private String finishReason;
    private Integer promptTokens;
    private Integer completionTokens;

    AnswerEvents(ModelEndpoint endpoint, StreamedAnswer answer, StallWatch stallWatch) {
      this.endpoint = endpoint;
      this.answer = answer;
      this.stallWatch = stallWatch;
    }

    void accept(String data) throws IOException {
      count++;
      stallWatch.event();
      if (data.equals("[DONE]")) {
        done = true;
        return;
      }
      JsonNode chunk = json.readTree(data);
      if (ServerErrors.isErrorEvent(chunk)) {
        throw ServerErrors.errorEvent(endpoint, data, answer.tokens());
      }
      JsonNode choice = chunk.path("choices").path(0);
      JsonNode content = choice.path("delta").path("content");
      if (content.isTextual() && !content.asText().isEmpty()) {
        stallWatch.token();
        answer.accept(content.asText());
      }
      if (choice.path("finish_reason").isTextual()) {
        finishReason = choice.path("finish_reason").asText();
      }
      JsonNode usage = chunk.path("usage");
      if (usage.isObject()) {
        promptTokens = usage.path("prompt_tokens").isInt() ? usage.path("prompt_tokens").asInt() : null;
        completionTokens = usage.path("completion_tokens").isInt() ? usage.path("completion_tokens").asInt() : null;
      }
    }
  }

  private static String readError(InputStream body) {
    try (body) {
      return new String(body.readNBytes(MAX_ERROR_BODY_BYTES), UTF_8);
    } catch (IOException e) {
      return "(error body unreadable: " + e.getMessage() + ")";
    }
  }

  private static Pipe openPipe(ModelEndpoint endpoint) {
    try {
      return Pipe.open();
    } catch (IOException e) {
      throw new ModelException(Kind.UNAVAILABLE, null, null,
          "cannot open a pipe for the request to " + endpoint.describe() + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      LOG.debugf(e, "closing %s failed", closeable);
    }
  }
}
