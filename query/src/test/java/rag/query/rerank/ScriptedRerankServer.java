package rag.query.rerank;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A rerank server on a real loopback socket, for tests, speaking both shapes of {@code POST /rerank} (also under
 * {@code /v1}): vLLM's and Cohere's ({@code {"model", "query", "documents"}} to {@code {"results": [{"index",
 * "relevance_score", "document"}]}, best first) and TEI's ({@code {"query", "texts"}} to {@code [{"index", "score"}]}).
 * Its relevance is a stand-in for a cross-encoder: the share of the query's words of three letters or more that the
 * document holds, so a test can tell which order is the reranked one. It records requests and plays scripted
 * {@link Reply replies} (errors, delays, garbage) in order before answering normally again. In the query test-jar so
 * app tests can use it too.
 */
public final class ScriptedRerankServer implements AutoCloseable {
  /** One request as received: the query, the texts, the shape ({@code documents} or {@code texts}), the header. */
  public record RecordedRequest(String model, String query, List<String> documents, String field,
      String authorization) {}

  /** Instead of the normal answer: a pause first, then (status not 0) this status and body. */
  public record Reply(Duration delay, int status, String body) {
    public static Reply error(int status, String body) {
      return new Reply(Duration.ZERO, status, body);
    }

    public static Reply delayed(Duration delay) {
      return new Reply(delay, 0, null);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<RecordedRequest> requests = new ArrayList<>();
  private final Deque<Reply> script = new ArrayDeque<>();

  private ScriptedRerankServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "scripted-rerank-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/rerank", this::handle);
    server.createContext("/v1/rerank", this::handle);
    server.start();
  }

  public static ScriptedRerankServer start() {
    try {
      return new ScriptedRerankServer();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the scripted rerank server", e);
    }
  }

  /** The root ({@code /rerank} is under it), e.g. {@code http://127.0.0.1:41234}; {@code + "/v1"} works too. */
  public String baseUrl() {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
  }

  public synchronized ScriptedRerankServer script(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  public synchronized List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** This server's relevance of a document to a query: the share of the query's words (3+ letters) it holds. */
  public static double relevance(String query, String document) {
    Set<String> words = words(query);
    if (words.isEmpty()) {
      return 0;
    }
    Set<String> held = words(document);
    return (double) words.stream().filter(held::contains).count() / words.size();
  }

  private static Set<String> words(String text) {
    return List.of(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")).stream().filter(w -> w.length() >= 3)
        .collect(Collectors.toSet());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode request;
      try {
        request = JSON.readTree(exchange.getRequestBody());
      } catch (IOException e) {
        send(exchange, 400, "{\"error\": \"invalid JSON\"}");
        return;
      }
      boolean tei = request.has("texts");
      String field = tei ? "texts" : "documents";
      List<String> documents = new ArrayList<>();
      request.path(field).forEach(d -> documents.add(d.isTextual() ? d.asText() : d.path("text").asText()));
      String query = request.path("query").asText(null);
      Reply reply;
      synchronized (this) {
        requests.add(new RecordedRequest(request.path("model").asText(null), query, documents, field,
            exchange.getRequestHeaders().getFirst("Authorization")));
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
      if (reply != null && reply.status() != 0) {
        send(exchange, reply.status(), reply.body());
      } else if (query == null || !request.path(field).isArray()) {
        send(exchange, 400, "{\"error\": \"query and documents (or texts) are required\"}");
      } else {
        send(exchange, 200, answer(request.path("model").asText("scripted-reranker"), query, documents, tei));
      }
    }
  }

  private static String answer(String model, String query, List<String> documents, boolean tei) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble((Integer i) -> relevance(query, documents.get(i))).reversed());
    ArrayNode results = JSON.createArrayNode();
    for (int i : order) {
      ObjectNode r = results.addObject().put("index", i);
      if (tei) {
        r.put("score", relevance(query, documents.get(i)));
      } else {
        r.put("relevance_score", relevance(query, documents.get(i)));
        r.putObject("document").put("text", documents.get(i));
      }
    }
    if (tei) {
      return results.toString();
    }
    ObjectNode body = JSON.createObjectNode().put("id", "rerank-scripted").put("model", model);
    body.set("results", results);
    body.putObject("usage").put("total_tokens", documents.stream().mapToInt(d -> d.length() / 4 + 1).sum());
    return body.toString();
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
