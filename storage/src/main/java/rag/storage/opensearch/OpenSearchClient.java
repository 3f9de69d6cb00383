package rag.storage.opensearch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import rag.storage.catalog.StorageException;
import rag.storage.catalog.TransientStorageException;

/**
 * JSON over HTTP to an OpenSearch cluster, on the JDK's client. Requests go to one node; when it cannot be reached
 * (refused, reset, closed mid-answer) the same request goes to the next node, so a cluster that lost a node keeps
 * answering. Every request this service sends is idempotent (index by id, delete by id or query, search), which
 * makes the retry safe.
 *
 * <p>Failures: a cluster that no node of answers, a timeout, and the statuses that mean "later" (429, 502, 503, 504)
 * throw {@link TransientStorageException}; any other error status throws {@link StorageException} with OpenSearch's
 * own reason.
 */
public final class OpenSearchClient {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A status and its parsed body (null when the body was empty). */
  public record Response(int status, JsonNode body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final List<URI> nodes;
  private final Duration timeout;
  private final String authorization;
  private final HttpClient http;
  private final AtomicInteger preferred = new AtomicInteger();

  public OpenSearchClient(OpenSearchSettings settings) {
    this.nodes = settings.urls().stream().map(OpenSearchClient::withoutTrailingSlash).toList();
    this.timeout = settings.timeout();
    this.authorization = settings.username() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
        (settings.username() + ":" + (settings.password() == null ? "" : settings.password()))
            .getBytes(StandardCharsets.UTF_8));
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  private static URI withoutTrailingSlash(URI uri) {
    String s = uri.toString();
    return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
  }

  public static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** Sends a request that must succeed; returns the parsed answer. */
  public JsonNode call(String method, String path, JsonNode body) {
    Response r = exchange(method, path, body);
    if (!r.ok()) {
      throw failure(method, path, r);
    }
    return r.body();
  }

  /** Sends a request; an answer with any status is returned (the caller decides what a 404 means). */
  public Response exchange(String method, String path, JsonNode body) {
    return exchange(method, path, body == null ? null : write(body), "application/json", timeout);
  }

  /** Like {@link #call} with a longer wait, for requests that take long by nature (force merges, reindexing). */
  public JsonNode callSlow(String method, String path, JsonNode body, Duration wait) {
    Response r = exchange(method, path, body == null ? null : write(body), "application/json", wait);
    if (!r.ok()) {
      throw failure(method, path, r);
    }
    return r.body();
  }

  /**
   * Sends bulk actions (each an action line, followed by a source line for index actions) and checks every item:
   * a delete of what is not there is fine; an item refused for overload makes the whole call transient (the bulk is
   * idempotent, the caller retries it); any other refused item fails with its reason.
   */
  public void bulk(List<JsonNode> lines, boolean refresh) {
    if (lines.isEmpty()) {
      return;
    }
    StringBuilder ndjson = new StringBuilder();
    for (JsonNode line : lines) {
      ndjson.append(write(line)).append('\n');
    }
    String path = "/_bulk" + (refresh ? "?refresh=true" : "");
    Response r = exchange("POST", path, ndjson.toString(), "application/x-ndjson", timeout);
    if (!r.ok()) {
      throw failure("POST", path, r);
    }
    if (!r.body().path("errors").asBoolean(false)) {
      return;
    }
    for (JsonNode item : r.body().path("items")) {
      JsonNode result = item.elements().next();
      int status = result.path("status").asInt();
      boolean deletedNothing = item.has("delete") && status == 404;
      if (status >= 300 && !deletedNothing) {
        String reason = reason(result.path("error"));
        String message = "OpenSearch refused to write " + result.path("_id").asText() + " in "
            + result.path("_index").asText() + ": " + reason;
        throw transientStatus(status) ? new TransientStorageException(message) : new StorageException(message);
      }
    }
  }

  private Response exchange(String method, String path, String body, String contentType, Duration wait) {
    List<String> unreachable = new ArrayList<>();
    IOException last = null;
    int first = preferred.get();
    for (int attempt = 0; attempt < nodes.size(); attempt++) {
      int n = (first + attempt) % nodes.size();
      URI node = nodes.get(n);
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node + path)).timeout(wait)
          .header("Accept", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      if (body != null) {
        request.header("Content-Type", contentType);
      }
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      try {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        preferred.compareAndSet(first, n);
        String text = response.body();
        return new Response(response.statusCode(), text == null || text.isBlank() ? null : JSON.readTree(text));
      } catch (HttpTimeoutException e) {
        throw new TransientStorageException("OpenSearch at " + node + " did not answer " + method + " " + path
            + " within " + wait.toMillis() + " ms", e);
      } catch (JsonProcessingException e) {
        throw new StorageException("OpenSearch at " + node + " answered " + method + " " + path
            + " with something that is not JSON: " + e.getOriginalMessage(), e);
      } catch (IOException e) {
        last = e;
        unreachable.add(node + " (" + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransientStorageException("interrupted while waiting for OpenSearch", e);
      }
    }
    throw new TransientStorageException("no OpenSearch node answered " + method + " " + path + ": "
        + String.join(", ", unreachable), last);
  }

  /** The exception for an error answer: transient for 429, 502, 503 and 504, with OpenSearch's own reason. */
  public static StorageException failure(String method, String path, Response r) {
    String message = "OpenSearch answered " + method + " " + path + " with " + r.status() + ": "
        + (r.body() == null ? "(no body)" : reason(r.body().path("error")));
    return transientStatus(r.status()) ? new TransientStorageException(message) : new StorageException(message);
  }

  private static boolean transientStatus(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  /** OpenSearch's explanation: the first root cause's type and reason, else the error's own. */
  static String reason(JsonNode error) {
    if (error.isMissingNode() || error.isNull()) {
      return "(no error details)";
    }
    if (error.isTextual()) {
      return error.asText();
    }
    JsonNode cause = error.path("root_cause").path(0);
    JsonNode e = cause.isMissingNode() ? error : cause;
    return e.path("type").asText("error") + ": " + e.path("reason").asText("(no reason given)");
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
