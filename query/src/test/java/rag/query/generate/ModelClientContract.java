package rag.query.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rag.query.generate.ModelException.Kind;
import rag.query.generate.ScriptedModelServer.Reply;

/** What every {@link ModelClient} must do against an OpenAI-compatible server, on a real socket. */
abstract class ModelClientContract {

  /** For servers that never answer. */
  static final Duration SHORT_TIMEOUT = Duration.ofMillis(500);
  /** For servers that stall after some tokens: long enough for those tokens to arrive on a cold, busy JVM. */
  static final Duration STALL_TIMEOUT = Duration.ofSeconds(3);
  /**
   * How long a timed-out call may take at most: the longest timeout plus generous slack for a loaded machine, and
   * still well below the two minutes of the overall deadline that a stall timeout must beat.
   */
  static final Duration TIMEOUT_BOUND = Duration.ofSeconds(30);
  /** How long to wait for something that must happen soon, on a loaded machine too. */
  static final Duration AWAIT = Duration.ofSeconds(60);
  private static final Set<Class<?>> WARMED_UP = ConcurrentHashMap.newKeySet();

  ScriptedModelServer server;

  abstract ModelClient client();

  @BeforeEach
  void startServer() throws IOException {
    if (WARMED_UP.add(getClass())) {
      warmUp();
    }
    server = ScriptedModelServer.start();
  }

  /** One answer before the timing tests: a cold JVM on a busy machine can take seconds for its first one. */
  private void warmUp() throws IOException {
    try (ScriptedModelServer warmUpServer = ScriptedModelServer.start()) {
      client().generate(warmUpServer.endpoint(Duration.ofSeconds(30)), question(), token -> { });
    }
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  static List<PromptMessage> question() {
    return List.of(PromptMessage.system("Answer only from the documents."),
        PromptMessage.user("What does the archive say about \"tides\"?"));
  }

  @Test
  void streamsTheTokensInOrderAndReturnsTheirConcatenation() {
    server.reply(Reply.tokens("The", " tides", " are", " driven", " by", " the", " moon", ".")
        .delayPerToken(Duration.ofMillis(5)));
    List<String> received = new CopyOnWriteArrayList<>();

    Generation generation = client().generate(server.endpoint(Duration.ofSeconds(10)), question(), received::add);

    assertThat(received).containsExactly("The", " tides", " are", " driven", " by", " the", " moon", ".");
    assertThat(generation.text()).isEqualTo(String.join("", received));
    assertThat(generation.finishReason()).isEqualTo("stop");
    assertThat(generation.timeToFirstToken()).isNotNull().isPositive().isLessThanOrEqualTo(generation.total());
    assertThat(generation.total()).isGreaterThanOrEqualTo(Duration.ofMillis(40));
  }

  @Test
  void readsTheUsageAndFinishReasonTheServerReports() {
    server.reply(Reply.tokens("cut", " short").promptTokens(12_345).finishReason("length"));

    Generation generation = client().generate(server.endpoint(Duration.ofSeconds(10)), question(), token -> { });

    assertThat(generation.promptTokens()).isEqualTo(12_345);
    assertThat(generation.completionTokens()).isEqualTo(2);
    assertThat(generation.finishReason()).isEqualTo("length");
  }

  @Test
  void sendsTheMessagesInOrderWithTheirRolesAndTheEndpointsParameters() {
    ModelEndpoint endpoint = new ModelEndpoint(server.baseUrl(), "qwen3-32b", null, Duration.ofSeconds(10), 777, 0.25);
    List<PromptMessage> messages = List.of(PromptMessage.system("You cite sources."),
        PromptMessage.user("First question"), PromptMessage.assistant("First answer"),
        PromptMessage.user("Second question\nwith a new line"));

    client().generate(endpoint, messages, token -> { });

    ScriptedModelServer.RecordedRequest request = server.lastChatRequest();
    assertThat(request.method()).isEqualTo("POST");
    JsonNode body = request.body();
    assertThat(body.path("model").asText()).isEqualTo("qwen3-32b");
    assertThat(body.path("max_tokens").asInt()).isEqualTo(777);
    assertThat(body.path("temperature").asDouble()).isEqualTo(0.25);
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(body.path("messages")).hasSize(4);
    assertThat(body.path("messages").findValuesAsText("role")).containsExactly("system", "user", "assistant", "user");
    assertThat(body.path("messages").findValuesAsText("content"))
        .containsExactly("You cite sources.", "First question", "First answer", "Second question\nwith a new line");
  }

  @Test
  void sendsTheApiKeyAsBearerToken() {
    ModelEndpoint endpoint = new ModelEndpoint(server.baseUrl(), ScriptedModelServer.MODEL, "sk-test-123",
        Duration.ofSeconds(10), 64, null);

    client().generate(endpoint, question(), token -> { });

    assertThat(server.lastChatRequest().header("Authorization")).isEqualTo("Bearer sk-test-123");
    assertThat(server.lastChatRequest().body().has("temperature")).isFalse();
  }

  @Test
  void sendsNoAuthorizationWithoutApiKey() {
    client().generate(server.endpoint(Duration.ofSeconds(10)), question(), token -> { });

    assertThat(server.lastChatRequest().header("Authorization")).isNull();
  }

  @Test
  void aPromptTooLongForTheWindowIsRefusedWithTheServersMessage() {
    String tooLong = "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens "
        + "(8936 in the messages, 64 in the completion). Please reduce the length of the messages or completion.";
    server.reply(Reply.error(400, tooLong));

    ModelException failure = catchThrowableOfType(
        () -> client().generate(server.endpoint(Duration.ofSeconds(10)), question(), token -> { }),
        ModelException.class);

    assertThat(failure.kind()).isEqualTo(Kind.REFUSED);
    assertThat(failure.httpStatus()).isEqualTo(400);
    assertThat(failure.serverMessage()).isEqualTo(tooLong);
    assertThat(failure.getMessage()).contains(server.baseUrl(), "HTTP 400", "maximum context length is 8192");
  }

  @Test
  void anUnknownModelIsRefused() {
    server.reply(Reply.error(404, "The model `llama-9` does not exist."));

    ModelException failure = catchThrowableOfType(
        () -> client().generate(server.endpoint(Duration.ofSeconds(10)), question(), token -> { }),
        ModelException.class);

    assertThat(failure.kind()).isEqualTo(Kind.REFUSED);
    assertThat(failure.httpStatus()).isEqualTo(404);
    assertThat(failure.serverMessage()).isEqualTo("The model `llama-9` does not exist.");
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 503})
  void serverErrorsMeanUnavailable(int status) {
    server.reply(Reply.error(status, "engine is loading"));

    ModelException failure = catchThrowableOfType(
        () -> client().generate(server.endpoint(Duration.ofSeconds(10)), question(), token -> { }),
        ModelException.class);

    assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(failure.httpStatus()).isEqualTo(status);
    assertThat(failure.serverMessage()).isEqualTo("engine is loading");
  }

  @Test
  void aClosedPortMeansUnavailable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    ModelEndpoint endpoint = new ModelEndpoint("http://127.0.0.1:" + closedPort + "/v1", "any", null,
        Duration.ofSeconds(5), 64, null);

    long start = System.nanoTime();
    ModelException failure = catchThrowableOfType(() -> client().generate(endpoint, question(), token -> { }),
        ModelException.class);

    assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(failure.httpStatus()).isNull();
    assertThat(failure.getMessage()).contains("127.0.0.1:" + closedPort);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT_BOUND);
  }

  @Test
  void aServerThatNeverAnswersTimesOut() {
    server.reply(Reply.silence());

    long start = System.nanoTime();
    ModelException failure = catchThrowableOfType(
        () -> client().generate(server.endpoint(SHORT_TIMEOUT), question(), token -> { }), ModelException.class);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(elapsed).isGreaterThanOrEqualTo(SHORT_TIMEOUT.minusMillis(50)).isLessThan(TIMEOUT_BOUND);
  }

  @Test
  void aServerThatStallsMidAnswerTimesOutAfterTheTokensSoFar() {
    server.reply(Reply.tokens("Partial", " answer", " never", " finished").stallAfter(2));
    List<String> received = new CopyOnWriteArrayList<>();

    long start = System.nanoTime();
    ModelException failure = catchThrowableOfType(
        () -> client().generate(server.endpoint(STALL_TIMEOUT), question(), received::add), ModelException.class);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(failure.getMessage()).contains("2 answer tokens received");
    assertThat(received).containsExactly("Partial", " answer");
    assertThat(elapsed).isGreaterThanOrEqualTo(STALL_TIMEOUT.minusMillis(50)).isLessThan(TIMEOUT_BOUND);
  }

  @Test
  void aStreamThatGoesQuietMidAnswerEndsAtTheStallTimeoutLongBeforeTheOverallDeadline() {
    server.reply(Reply.tokens("Partial", " answer", " never", " finished").stallAfter(2));
    List<String> received = new CopyOnWriteArrayList<>();
    Duration stall = Duration.ofSeconds(1);

    long start = System.nanoTime();
    ModelException failure = catchThrowableOfType(
        () -> client().generate(server.endpoint(Duration.ofMinutes(2), stall), question(), received::add),
        ModelException.class);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(failure.getMessage()).contains("sent nothing for PT1S after 2 answer tokens (its stall timeout)");
    assertThat(received).containsExactly("Partial", " answer");
    assertThat(elapsed).isGreaterThanOrEqualTo(stall.minusMillis(50)).isLessThan(TIMEOUT_BOUND);
  }

  @Test
  void aLongPrefillBeforeTheFirstTokenIsNotAStall() {
    // the first token comes after two stall timeouts, the others at once: only the overall timeout bounds prefill
    server.reply(Reply.tokens("Late", " but", " whole").firstTokenAfter(Duration.ofMillis(2000)));
    List<String> received = new CopyOnWriteArrayList<>();

    Generation generation = client().generate(server.endpoint(Duration.ofSeconds(60), Duration.ofSeconds(1)),
        question(), received::add);

    assertThat(generation.text()).isEqualTo("Late but whole");
    assertThat(received).containsExactly("Late", " but", " whole");
    assertThat(generation.timeToFirstToken()).isGreaterThanOrEqualTo(Duration.ofMillis(1950));
  }

  @Test
  void tokensComingSteadilyWithinTheStallTimeoutAreNeverCut() {
    // each pause is a sixth of the stall timeout (room for a loaded machine), the whole answer takes longer than it
    server.reply(Reply.tokens("a", "b", "c", "d", "e", "f", "g", "h").delayPerToken(Duration.ofMillis(250)));

    Generation generation = client().generate(server.endpoint(Duration.ofSeconds(60), Duration.ofMillis(1500)),
        question(), token -> { });

    assertThat(generation.text()).isEqualTo("abcdefgh");
  }

  @Test
  void aSlowAnswerIsCutAtTheOverallDeadlineAndNoTokenArrivesAfterIt() throws InterruptedException {
    // a token every 200 ms for 2 s: the server never pauses long, yet the whole answer takes too long
    server.reply(Reply.tokens("a", "b", "c", "d", "e", "f", "g", "h", "i", "j").delayPerToken(Duration.ofMillis(200)));
    List<String> received = new CopyOnWriteArrayList<>();

    long start = System.nanoTime();
    ModelException failure = catchThrowableOfType(
        () -> client().generate(server.endpoint(Duration.ofSeconds(1)), question(), received::add),
        ModelException.class);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    int receivedByTimeout = received.size();
    assertThat(server.awaitChatEnded(AWAIT)).as("the server sent what it would send").isTrue();

    assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(950)).isLessThan(TIMEOUT_BOUND);
    assertThat(receivedByTimeout).isLessThan(10);
    assertThat(received).as("tokens after the timeout").hasSize(receivedByTimeout);
  }

  @Test
  void anErrorEventMidAnswerEndsTheGenerationWithTheServersMessage() {
    server.reply(Reply.tokens("Half", " an", " answer").failAfter(2, 500, "EngineCore encountered an issue"));
    List<String> received = new CopyOnWriteArrayList<>();

    ModelException failure = catchThrowableOfType(
        () -> client().generate(server.endpoint(Duration.ofSeconds(10)), question(), received::add),
        ModelException.class);

    assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(failure.serverMessage()).isEqualTo("EngineCore encountered an issue");
    assertThat(failure.getMessage()).contains("after 2 answer tokens");
    assertThat(received).containsExactly("Half", " an");
  }

  @Test
  void aPromptThatCannotBeWrittenOutIsNotAModelError() {
    PromptText unreadable = out -> {
      out.append("<document id=\"doc-1\">first document</document>\n");
      throw new IOException("corpus file vanished");
    };

    assertThatThrownBy(() -> client().generate(server.endpoint(Duration.ofSeconds(10)),
        List.of(PromptMessage.user(unreadable)), token -> { }))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("corpus file vanished");
  }

  @Test
  void anExceptionFromTheSinkEndsTheGenerationAndIsRethrown() {
    server.reply(Reply.tokens("one", "two", "three", "four").delayPerToken(Duration.ofMillis(20)));
    List<String> received = new CopyOnWriteArrayList<>();
    IllegalStateException clientGone = new IllegalStateException("the browser went away");

    assertThatThrownBy(() -> client().generate(server.endpoint(Duration.ofSeconds(10)), question(), token -> {
      received.add(token);
      if (received.size() == 2) {
        throw clientGone;
      }
    })).isSameAs(clientGone);
    assertThat(received).containsExactly("one", "two");
  }

  /** The client of the service went away: the answer's thread is interrupted mid-stream (issue 16). */
  @Test
  void anInterruptMidStreamEndsTheGenerationAndClosesTheServersStream() throws Exception {
    server.reply(Reply.tokens(java.util.Collections.nCopies(400, "word ").toArray(String[]::new))
        .delayPerToken(Duration.ofMillis(25)));
    java.util.concurrent.CountDownLatch streaming = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
    Thread answering = new Thread(() -> {
      try {
        client().generate(server.endpoint(Duration.ofSeconds(30)), question(), token -> streaming.countDown());
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    answering.start();
    assertThat(streaming.await(AWAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)).isTrue();
    long interruptedAt = System.nanoTime();
    answering.interrupt();
    answering.join(TIMEOUT_BOUND.toMillis());

    assertThat(answering.isAlive()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).isLessThan(Duration.ofSeconds(5));
    assertThat(thrown.get()).isInstanceOf(java.util.concurrent.CancellationException.class);
    assertThat(server.awaitChatEnded(AWAIT)).isTrue(); // the server stopped sending: its client went away
    assertThat(server.openStreams()).isZero();
  }

  /** A server that dies mid-answer (or a proxy that cuts it) ends the stream without finish reason or [DONE]. */
  @Test
  void aStreamCutShortIsAnErrorNotAnAnswer() {
    server.reply(Reply.tokens("The keeper ", "logs ", "the weather.").hangUpAfter(2));
    List<String> received = new CopyOnWriteArrayList<>();

    ModelException e = catchThrowableOfType(() -> client().generate(server.endpoint(Duration.ofSeconds(10)),
        question(), received::add), ModelException.class);

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.getMessage()).contains("after 2 answer tokens without a finish reason or [DONE]");
    assertThat(received).containsExactly("The keeper ", "logs ");
  }

  /** A stream whose last chunk has a finish reason is complete even without [DONE] (some servers omit it). */
  @Test
  void aFinishReasonWithoutDoneIsAComplete() {
    server.reply(Reply.raw("data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Done.\"},\"finish_reason\":\"stop\"}]}\n\n"));

    Generation g = client().generate(server.endpoint(Duration.ofSeconds(10)), question(), token -> { });

    assertThat(g.text()).isEqualTo("Done.");
  }
}
