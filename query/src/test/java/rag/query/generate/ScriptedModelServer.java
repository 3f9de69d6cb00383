package rag.query.generate;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A model server for tests, on a real socket at 127.0.0.1 and an ephemeral port, speaking the
 * OpenAI-compatible protocol as vLLM does: {@code POST /v1/chat/completions} (JSON, or server-sent
 * events with {@code stream: true}, usage last when {@code stream_options.include_usage}),
 * {@code GET /v1/models} and {@code POST /tokenize} at the root. It answers whatever the test
 * scripted with {@link #reply(Reply)} and records every request.
 *
 * <p>Its tokenizer is one token per whitespace-separated word; that is also how it counts prompt
 * tokens for the usage it reports unless a reply says otherwise.
 */
public final class ScriptedModelServer implements AutoCloseable {

  public static final String MODEL = "scripted-model";

  /** Which {@code /tokenize} the server offers. */
  public enum TokenizeShape {
    /** vLLM's: {@code {"model","prompt"}} to {@code {"count","max_model_len","tokens"}}. */
    VLLM,
    /** llama.cpp server's: {@code {"content"}} to {@code {"tokens":[...]}}, {@code {"tokens":[]}} without content. */
    LLAMA_CPP,
    /** None: 404, as Ollama. */
    NONE
  }

  /** One request as the server received it. Header names are lower case. */
  public record RecordedRequest(String method, String path, Map<String, List<String>> headers, JsonNode body,
      long bodyBytes) {

    /** The first value of a header, or null. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  /**
   * What the server answers to chat requests.
   *
   * @param status 200 for an answer, otherwise an error status with an OpenAI-style error body
   * @param errorMessage the error body's message, or the message of the error event mid-answer
   * @param tokens the answer, one streamed chunk per token
   * @param delayPerToken the pause before each token
   * @param promptTokens reported as usage; null to count words of the messages' contents
   * @param stallAfterTokens send that many tokens, then nothing more with the connection left open; -1 never
   * @param silent read the request, then never answer (see {@link #silence()})
   * @param finishReason sent in the last chunk
   * @param failAfterTokens send that many tokens, then an error event with {@code failCode} and [DONE], as vLLM
   *     does when generation fails; -1 never
   * @param failCode the error event's code; {@link #HANG_UP}: end the stream there, with neither a finish reason nor
   *     [DONE]; {@link #RAW}: send {@code errorMessage} as the whole event-stream body
   * @param firstTokenDelay an extra pause before the first token, as a long prefill makes (after the role chunk)
   */
  public record Reply(int status, String errorMessage, List<String> tokens, Duration delayPerToken, Integer promptTokens,
      int stallAfterTokens, boolean silent, String finishReason, int failAfterTokens, int failCode,
      Duration firstTokenDelay) {

    /** {@link #failCode} of a reply whose stream ends after {@link #failAfterTokens} tokens without a word more. */
    public static final int HANG_UP = -3;
    /** {@link #failCode} of a reply whose event-stream body is {@link #errorMessage}, verbatim. */
    public static final int RAW = -2;

    /** A 200 event stream whose body is {@code body} as given (garbage, truncated JSON...). */
    public static Reply raw(String body) {
      return new Reply(200, body, List.of(), Duration.ZERO, null, -1, false, null, -1, RAW, Duration.ZERO);
    }

    /** Sends that many tokens, then ends the stream: no finish reason, no [DONE], as a server that died. */
    public Reply hangUpAfter(int sentTokens) {
      return new Reply(status, errorMessage, tokens, delayPerToken, promptTokens, stallAfterTokens, silent, finishReason,
          sentTokens, HANG_UP, firstTokenDelay);
    }

    public static Reply tokens(String... tokens) {
      return new Reply(200, null, List.of(tokens), Duration.ZERO, null, -1, false, "stop", -1, 0, Duration.ZERO);
    }

    /** An error answer, e.g. 400 with vLLM's "This model's maximum context length is ..." */
    public static Reply error(int status, String message) {
      return new Reply(status, message, List.of(), Duration.ZERO, null, -1, false, null, -1, 0, Duration.ZERO);
    }

    public static Reply silence() {
      return new Reply(200, null, List.of(), Duration.ZERO, null, -1, true, null, -1, 0, Duration.ZERO);
    }

    public Reply delayPerToken(Duration delay) {
      return new Reply(status, errorMessage, tokens, delay, promptTokens, stallAfterTokens, silent, finishReason,
          failAfterTokens, failCode, firstTokenDelay);
    }

    public Reply stallAfter(int sentTokens) {
      return new Reply(status, errorMessage, tokens, delayPerToken, promptTokens, sentTokens, silent, finishReason,
          failAfterTokens, failCode, firstTokenDelay);
    }

    public Reply promptTokens(int count) {
      return new Reply(status, errorMessage, tokens, delayPerToken, count, stallAfterTokens, silent, finishReason,
          failAfterTokens, failCode, firstTokenDelay);
    }

    public Reply finishReason(String reason) {
      return new Reply(status, errorMessage, tokens, delayPerToken, promptTokens, stallAfterTokens, silent, reason,
          failAfterTokens, failCode, firstTokenDelay);
    }

    public Reply failAfter(int sentTokens, int code, String message) {
      return new Reply(status, message, tokens, delayPerToken, promptTokens, stallAfterTokens, silent, finishReason,
          sentTokens, code, firstTokenDelay);
    }

    public Reply firstTokenAfter(Duration delay) {
      return new Reply(status, errorMessage, tokens, delayPerToken, promptTokens, stallAfterTokens, silent, finishReason,
          failAfterTokens, failCode, delay);
    }
  }

  /** Without Jackson's default limit of 20M chars per string: a stuffed prompt is larger. */
  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
      .build());
  private static final int MAX_MODEL_LEN = 262_144;

  private final HttpServer server;
  private final ExecutorService executor;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Semaphore chatsEnded = new Semaphore(0);
  private final AtomicInteger openStreams = new AtomicInteger();
  /** The last {@value #MAX_RECORDED} requests, oldest first: a load run sends many thousands, with whole prompts. */
  private final Deque<RecordedRequest> requests = new ArrayDeque<>();
  static final int MAX_RECORDED = 1000;
  private volatile Reply reply = Reply.tokens("Hello", ",", " world", ".");
  private final ConcurrentLinkedDeque<Reply> queued = new ConcurrentLinkedDeque<>();
  private volatile TokenizeShape tokenizeShape = TokenizeShape.VLLM;
  private volatile Function<String, Reply> byPrompt;

  private ScriptedModelServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static ScriptedModelServer start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "scripted-model-server");
      thread.setDaemon(true);
      return thread;
    });
    ScriptedModelServer scripted = new ScriptedModelServer(server, executor);
    server.createContext("/", scripted::handle);
    server.setExecutor(executor);
    server.start();
    return scripted;
  }

  /** The OpenAI API root, {@code http://127.0.0.1:PORT/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** An endpoint for this server's model: no key, 64 answer tokens, temperature 0. */
  public ModelEndpoint endpoint(Duration timeout) {
    return new ModelEndpoint(baseUrl(), MODEL, null, timeout, 64, 0.0);
  }

  public ModelEndpoint endpoint(Duration timeout, Duration stallTimeout) {
    return new ModelEndpoint(baseUrl(), MODEL, null, timeout, 64, 0.0, stallTimeout);
  }

  /** What every following chat request gets (after any replies queued by {@link #replyInTurn}). */
  public void reply(Reply next) {
    queued.clear();
    byPrompt = null;
    reply = Objects.requireNonNull(next, "reply");
  }

  /**
   * Replies chosen from each chat request's prompt (its messages' contents, joined by newlines), as a model that
   * answers only from what it was given; replies queued by {@link #replyInTurn} still come first.
   */
  public void replyByPrompt(Function<String, Reply> chooser) {
    queued.clear();
    byPrompt = Objects.requireNonNull(chooser, "chooser");
  }

  /** Replies for the next chat requests, one each in this order; then {@link #reply}'s again. */
  public void replyInTurn(Reply... next) {
    queued.clear();
    queued.addAll(List.of(next));
  }

  public void tokenizeShape(TokenizeShape shape) {
    tokenizeShape = Objects.requireNonNull(shape, "shape");
  }

  public List<RecordedRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  public List<RecordedRequest> requests(String path) {
    return requests().stream().filter(request -> request.path().equals(path)).toList();
  }

  /** The last {@code /v1/chat/completions} request. */
  public RecordedRequest lastChatRequest() {
    List<RecordedRequest> chats = requests("/v1/chat/completions");
    if (chats.isEmpty()) {
      throw new IllegalStateException("the scripted model server has received no chat request");
    }
    return chats.get(chats.size() - 1);
  }

  /**
   * Waits until the server has ended the answer to one more chat request than this method has waited for before:
   * sent it whole, or stopped when the client went away. False after {@code timeout}.
   */
  public boolean awaitChatEnded(Duration timeout) throws InterruptedException {
    return chatsEnded.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Streamed answers being sent now: a client that goes away ends its stream at the server's next write. */
  public int openStreams() {
    return openStreams.get();
  }

  /** The scripted tokenizer: one token per whitespace-separated word. */
  public static int countWords(String text) {
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean space = Character.isWhitespace(text.charAt(i));
      if (!space && !inWord) {
        words++;
      }
      inWord = !space;
    }
    return words;
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] bytes = exchange.getRequestBody().readAllBytes();
      JsonNode body = null;
      String parseError = null;
      try {
        body = bytes.length == 0 ? null : JSON.readTree(bytes);
      } catch (IOException e) {
        parseError = e.getMessage();
      }
      String path = exchange.getRequestURI().getPath();
      Map<String, List<String>> headers = new HashMap<>();
      exchange.getRequestHeaders().forEach((name, values) ->
          headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
      RecordedRequest recorded = new RecordedRequest(exchange.getRequestMethod(), path, Map.copyOf(headers), body,
          bytes.length);
      synchronized (requests) {
        requests.addLast(recorded);
        if (requests.size() > MAX_RECORDED) {
          requests.removeFirst();
        }
      }
      String route = exchange.getRequestMethod() + " " + path;
      if (parseError != null) {
        sendError(exchange, 400, "request body is not valid JSON: " + parseError);
      } else if (route.equals("POST /v1/chat/completions")) {
        Reply next = queued.poll();
        Function<String, Reply> chooser = byPrompt;
        if (next == null && chooser != null) {
          StringBuilder prompt = new StringBuilder();
          body.path("messages").forEach(m -> prompt.append(m.path("content").asText()).append('\n'));
          next = chooser.apply(prompt.toString());
        }
        try {
          chat(exchange, body, next != null ? next : reply);
        } finally {
          chatsEnded.release();
        }
      } else if (route.equals("GET /v1/models")) {
        sendJson(exchange, 200, models());
      } else if (route.equals("POST /tokenize") && tokenizeShape != TokenizeShape.NONE) {
        tokenize(exchange, body);
      } else {
        sendJson(exchange, 404, JSON.createObjectNode().put("detail", "Not Found"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void chat(HttpExchange exchange, JsonNode request, Reply script) throws IOException, InterruptedException {
    if (script.silent()) {
      closing.await();
      return;
    }
    if (script.status() != 200) {
      sendError(exchange, script.status(), script.errorMessage());
      return;
    }
    int promptTokens = script.promptTokens() != null ? script.promptTokens() : promptWords(request);
    if (!request.path("stream").asBoolean(false)) {
      Thread.sleep(script.delayPerToken().toMillis() * script.tokens().size());
      sendJson(exchange, 200, completion(script, promptTokens));
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    if (script.failCode() == Reply.RAW) {
      out.write(script.errorMessage().getBytes(UTF_8));
      out.flush();
      return;
    }
    openStreams.incrementAndGet();
    try {
      event(out, chunk(JSON.createObjectNode().put("role", "assistant").put("content", ""), null));
      for (int i = 0; i < script.tokens().size(); i++) {
        if (i == script.stallAfterTokens()) {
          closing.await();
          return;
        }
        if (i == script.failAfterTokens() && script.failCode() == Reply.HANG_UP) {
          out.flush();
          return;
        }
        if (i == script.failAfterTokens()) {
          event(out, errorBody(script.failCode(), script.errorMessage()));
          out.write("data: [DONE]\n\n".getBytes(UTF_8));
          return;
        }
        Thread.sleep(script.delayPerToken().toMillis() + (i == 0 ? script.firstTokenDelay().toMillis() : 0));
        event(out, chunk(JSON.createObjectNode().put("content", script.tokens().get(i)), null));
      }
      if (script.stallAfterTokens() == script.tokens().size()) {
        closing.await();
        return;
      }
      event(out, chunk(JSON.createObjectNode(), script.finishReason()));
      if (request.path("stream_options").path("include_usage").asBoolean(false)) {
        ObjectNode usage = chunk(null, null);
        usage.set("usage", usage(promptTokens, script.tokens().size()));
        event(out, usage);
      }
      out.write("data: [DONE]\n\n".getBytes(UTF_8));
      out.flush();
    } catch (IOException clientGone) {
      // the client closed the connection (a timeout test abandoning the answer): nothing more to send
    } finally {
      openStreams.decrementAndGet();
    }
  }

  private static ObjectNode chunk(ObjectNode delta, String finishReason) {
    ObjectNode chunk = JSON.createObjectNode()
        .put("id", "chatcmpl-scripted")
        .put("object", "chat.completion.chunk")
        .put("created", 1_700_000_000L)
        .put("model", MODEL);
    ArrayNode choices = chunk.putArray("choices");
    if (delta != null) {
      ObjectNode choice = choices.addObject().put("index", 0);
      choice.set("delta", delta);
      choice.put("finish_reason", finishReason);
    }
    return chunk;
  }

  private static ObjectNode completion(Reply script, int promptTokens) {
    ObjectNode completion = JSON.createObjectNode()
        .put("id", "chatcmpl-scripted")
        .put("object", "chat.completion")
        .put("created", 1_700_000_000L)
        .put("model", MODEL);
    ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", String.join("", script.tokens()));
    choice.put("finish_reason", script.finishReason());
    completion.set("usage", usage(promptTokens, script.tokens().size()));
    return completion;
  }

  private static ObjectNode usage(int promptTokens, int completionTokens) {
    return JSON.createObjectNode()
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
  }

  private static ObjectNode models() {
    ObjectNode list = JSON.createObjectNode().put("object", "list");
    list.putArray("data").addObject()
        .put("id", MODEL)
        .put("object", "model")
        .put("created", 1_700_000_000L)
        .put("owned_by", "scripted")
        .put("max_model_len", MAX_MODEL_LEN);
    return list;
  }

  private void tokenize(HttpExchange exchange, JsonNode request) throws IOException {
    if (tokenizeShape == TokenizeShape.VLLM) {
      if (!request.path("prompt").isTextual()) {
        sendError(exchange, 400, "1 validation error for TokenizeCompletionRequest: prompt: Field required");
        return;
      }
      List<String> words = words(request.path("prompt").asText());
      ObjectNode answer = JSON.createObjectNode().put("count", words.size()).put("max_model_len", MAX_MODEL_LEN);
      ArrayNode tokens = answer.putArray("tokens");
      words.forEach(word -> tokens.add(tokenId(word)));
      sendJson(exchange, 200, answer);
    } else {
      ObjectNode answer = JSON.createObjectNode();
      ArrayNode tokens = answer.putArray("tokens");
      if (request.path("content").isTextual()) {
        words(request.path("content").asText()).forEach(word -> tokens.add(tokenId(word)));
      }
      sendJson(exchange, 200, answer);
    }
  }

  private static int promptWords(JsonNode request) {
    int words = 0;
    for (JsonNode message : request.path("messages")) {
      words += countWords(message.path("content").asText(""));
    }
    return words;
  }

  private static List<String> words(String text) {
    String stripped = text.strip();
    return stripped.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(stripped.split("\\s+")));
  }

  private static int tokenId(String word) {
    return Math.floorMod(word.hashCode(), 150_000);
  }

  private static void sendError(HttpExchange exchange, int status, String message) throws IOException {
    sendJson(exchange, status, errorBody(status, message));
  }

  private static ObjectNode errorBody(int status, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error")
        .put("message", message)
        .put("type", switch (status) {
          case 400 -> "BadRequestError";
          case 404 -> "NotFoundError";
          case 503 -> "ServiceUnavailableError";
          default -> status >= 500 ? "InternalServerError" : "BadRequestError";
        })
        .putNull("param")
        .put("code", status);
    return body;
  }

  private static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void event(OutputStream out, JsonNode chunk) throws IOException {
    out.write(("data: " + JSON.writeValueAsString(chunk) + "\n\n").getBytes(UTF_8));
    out.flush();
  }
}
