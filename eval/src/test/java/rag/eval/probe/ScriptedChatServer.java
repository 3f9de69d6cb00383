package rag.eval.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An OpenAI-compatible chat server on a loopback socket that answers {@code POST /v1/chat/completions} with a
 * streamed (server-sent events) completion whose text a script computes from the last user message. With a
 * status other than 200 it answers every request with that status and an OpenAI error body.
 */
final class ScriptedChatServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  ScriptedChatServer(int status, Function<String, String> script) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/chat/completions", exchange -> {
      try (exchange) {
        requests.incrementAndGet();
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        if (status != 200) {
          send(exchange, status, "application/json",
              "{\"error\":{\"message\":\"scripted failure\",\"type\":\"invalid_request_error\"}}");
          return;
        }
        String user = "";
        for (JsonNode message : request.path("messages")) {
          if (message.path("role").asText().equals("user")) {
            user = message.path("content").asText();
          }
        }
        String model = request.path("model").asText("scripted");
        StringBuilder events = new StringBuilder();
        events.append(event(model, script.apply(user), null)).append(event(model, null, "stop"))
            .append("data: [DONE]\n\n");
        send(exchange, 200, "text/event-stream", events.toString());
      }
    });
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  int requests() {
    return requests.get();
  }

  private static String event(String model, String content, String finishReason) {
    ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
        .put("created", 1).put("model", model);
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    ObjectNode delta = choice.putObject("delta");
    if (content != null) {
      delta.put("role", "assistant").put("content", content);
    }
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return "data: " + chunk + "\n\n";
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
