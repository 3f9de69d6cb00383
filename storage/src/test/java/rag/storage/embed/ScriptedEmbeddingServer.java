package rag.storage.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible embeddings server on a real loopback socket, for tests: {@code POST /v1/embeddings}
 * with {@code {"model", "input": [...]}} answers {@code {"object": "list", "data": [...],
 * "model", "usage"}}, each vector being {@link #vectorFor(String, int)} of its text. It records every request,
 * can require an API key, and plays scripted {@link Reply replies} (errors, delays, wrong answers) in order
 * before answering normally again. In the storage test-jar so app tests can use it too.
 */
public final class ScriptedEmbeddingServer implements AutoCloseable {
  /** One request as the server received it; {@code authorization} is null when the header was absent. */
  public record RecordedRequest(String authorization, String model, List<String> input, String encodingFormat) {}

  /**
   * What to do with one request instead of answering it normally.
   *
   * @param delay waited before answering (the client may give up first)
   * @param status and {@code body}: when status is not 0, sent as they are
   * @param dimension when not null, vectors of this length instead of the server's
   * @param vectorsDropped this many vectors left off the end of the answer
   */
  public record Reply(Duration delay, int status, String body, Integer dimension, int vectorsDropped) {
    /** An OpenAI-style error object with this HTTP status. */
    public static Reply error(int status, String message) {
      return new Reply(Duration.ZERO, status, errorBody(message, status >= 500 ? "server_error" : "invalid_request_error",
          null), null, 0);
    }

    public static Reply raw(int status, String body) {
      return new Reply(Duration.ZERO, status, body, null, 0);
    }

    /** The normal answer, after a pause. */
    public static Reply delayed(Duration delay) {
      return new Reply(delay, 0, null, null, 0);
    }

    public static Reply withDimension(int dimension) {
      return new Reply(Duration.ZERO, 0, null, dimension, 0);
    }

    public static Reply missingVectors(int count) {
      return new Reply(Duration.ZERO, 0, null, null, count);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final int dimension;
  private final List<RecordedRequest> requests = new ArrayList<>();
  private final Deque<Reply> script = new ArrayDeque<>();
  private volatile String requiredApiKey;

  private ScriptedEmbeddingServer(int dimension) throws IOException {
    this.dimension = dimension;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "scripted-embedding-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/v1/embeddings", this::handle);
    server.start();
  }

  /** A server on an ephemeral loopback port answering vectors of {@code dimension}. */
  public static ScriptedEmbeddingServer start(int dimension) {
    try {
      return new ScriptedEmbeddingServer(dimension);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the scripted embedding server", e);
    }
  }

  /** The API root, e.g. {@code http://127.0.0.1:41234/v1}. */
  public String baseUrl() {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort()
        + "/v1";
  }

  /** From now on, requests without {@code Authorization: Bearer key} get 401. */
  public ScriptedEmbeddingServer requireApiKey(String key) {
    this.requiredApiKey = key;
    return this;
  }

  /** Replies for the next requests, one each, in order. */
  public synchronized ScriptedEmbeddingServer script(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  public synchronized List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** The vector this server gives {@code text}: unit length, pseudo-random, seeded by the text's SHA-256. */
  public static float[] vectorFor(String text, int dimension) {
    SplittableRandom random = new SplittableRandom(seed(text));
    float[] v = new float[dimension];
    double norm = 0;
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) (random.nextDouble() * 2 - 1);
      norm += v[i] * v[i];
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dimension; i++) {
      v[i] *= scale;
    }
    return v;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        send(exchange, 405, errorBody("Method not allowed", "invalid_request_error", null));
        return;
      }
      JsonNode request;
      try {
        request = JSON.readTree(exchange.getRequestBody());
      } catch (IOException e) {
        send(exchange, 400, errorBody("We could not parse the JSON body of your request.", "invalid_request_error",
            null));
        return;
      }
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      List<String> input = inputOf(request);
      String model = request.path("model").asText(null);
      String encodingFormat = request.path("encoding_format").asText(null);
      Reply reply;
      synchronized (this) {
        requests.add(new RecordedRequest(authorization, model, input, encodingFormat));
        reply = script.poll();
      }
      if (reply != null && !reply.delay().isZero()) {
        try {
          Thread.sleep(reply.delay().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      String key = requiredApiKey;
      if (key != null && !("Bearer " + key).equals(authorization)) {
        String given = authorization == null ? "none" : authorization.replaceFirst("^Bearer ", "");
        send(exchange, 401, errorBody("Incorrect API key provided: " + given + ".", "invalid_request_error",
            "invalid_api_key"));
      } else if (reply != null && reply.status() != 0) {
        send(exchange, reply.status(), reply.body());
      } else if (model == null || input == null) {
        send(exchange, 400, errorBody("'model' and 'input' are required", "invalid_request_error", null));
      } else {
        int size = reply != null && reply.dimension() != null ? reply.dimension() : dimension;
        int dropped = reply == null ? 0 : reply.vectorsDropped();
        send(exchange, 200, answer(model, input.subList(0, Math.max(0, input.size() - dropped)), size));
      }
    }
  }

  /** {@code input} may be one string or an array of strings. */
  private static List<String> inputOf(JsonNode request) {
    JsonNode input = request.path("input");
    if (input.isTextual()) {
      return List.of(input.asText());
    }
    if (!input.isArray()) {
      return null;
    }
    List<String> texts = new ArrayList<>();
    input.forEach(t -> texts.add(t.asText()));
    return texts;
  }

  private static String answer(String model, List<String> input, int dimension) {
    ObjectNode root = JSON.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    int tokens = 0;
    for (int i = 0; i < input.size(); i++) {
      float[] v = vectorFor(input.get(i), dimension);
      ArrayNode vector = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
      for (float x : v) {
        vector.add(x);
      }
      tokens += input.get(i).split("\\s+").length;
    }
    root.put("model", model);
    root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return root.toString();
  }

  private static String errorBody(String message, String type, String code) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error").put("message", message).put("type", type).putNull("param").put("code", code);
    return root.toString();
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static long seed(String text) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(sha).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
