package rag.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The benchmark's HTTP client of the service (JDK {@link HttpClient}, HTTP/1.1): one method per operation, each
 * returning how the request ended. A request that has not ended (the whole body read, for chat the whole event stream)
 * within the timeout is cancelled and counted as an error.
 */
final class LoadClient {
  static final String EXTRACTIVE_PROFILE = "qwen3";
  static final String MODEL_PROFILE = "scripted";
  static final String STUFF_PROFILE = "llama4-scout";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern GENERATED = Pattern.compile("\"answerKind\"\\s*:\\s*\"generated\"");
  private static final Pattern EXTRACTIVE = Pattern.compile("\"answerKind\"\\s*:\\s*\"extractive\"");

  /** Questions over the benchmark's corpus (Paul Graham's essays, 3Blue1Brown lectures, two PDFs). */
  static final List<String> QUESTIONS = List.of(
      "What should a startup founder think about when raising money from investors?",
      "Why do the best startup ideas often look like bad ideas at first?",
      "How do great hackers choose what to work on?",
      "What does the essay say about wealth and how it is created?",
      "Why is it hard to be original, and how do you get new ideas?",
      "What advice is given about doing great work?",
      "How do you know whether you are working on the right problem?",
      "What is a neural network and how does it learn from examples?",
      "How does bitcoin keep a ledger that nobody can forge?",
      "How do quaternions describe rotations in three dimensions?",
      "What does inventing math mean in the lecture?",
      "What does the reference manual say about menhir grammars and conflicts?",
      "What is computational creativity in machine learning?",
      "Which programming languages are praised, and why?",
      "What makes a city good for ambitious people?",
      "How should you deal with procrastination?");

  private final HttpClient[] clients;
  private final String base;
  private final String collection;
  private final Duration timeout;

  LoadClient(String baseUrl, String collection, Duration timeout, int connectionPools) {
    this.base = baseUrl;
    this.collection = collection;
    this.timeout = timeout;
    this.clients = new HttpClient[connectionPools];
    for (int i = 0; i < connectionPools; i++) {
      clients[i] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10)).build();
    }
  }

  /** One operation of the mix for virtual client {@code client}, its question picked with {@code random}. */
  LoadOutcome execute(LoadOp op, int client, Random random) {
    String question = QUESTIONS.get(random.nextInt(QUESTIONS.size()));
    String c = "/api/collections/" + collection;
    return switch (op) {
      case QUERY_EXTRACTIVE -> expect(post(client, c + "/query", Map.of("question", question, "mode", "retrieve",
          "profile", EXTRACTIVE_PROFILE)), EXTRACTIVE, "an extractive answer");
      case QUERY_MODEL -> expect(post(client, c + "/query", Map.of("question", question, "mode", "retrieve",
          "profile", MODEL_PROFILE)), GENERATED, "a generated answer");
      case PLAN_STUFF -> post(client, c + "/plan", Map.of("question", question, "mode", "stuff",
          "profile", STUFF_PROFILE)).outcome();
      case SEARCH -> post(client, c + "/search", Map.of("query", question, "topK", 10)).outcome();
      case DOCUMENTS -> send(client, HttpRequest.newBuilder(URI.create(base + c + "/documents?limit=100")).GET())
          .outcome();
      case CHAT -> chat(post(client, c + "/chat", Map.of("message", question, "mode", "retrieve",
          "profile", MODEL_PROFILE)));
      default -> throw new IllegalArgumentException(op + " is not in the mix");
    };
  }

  /** A response: status 0 and the error in {@code body} when there was none. */
  record Reply(int status, java.net.http.HttpHeaders headers, String body, LoadOutcome failure) {
    LoadOutcome outcome() {
      if (failure != null) {
        return failure;
      }
      return status / 100 == 2 ? LoadOutcome.ok(status) : LoadOutcome.failed(status, headers, body);
    }

    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  Reply post(int client, String path, Object body) {
    try {
      return send(client, HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  Reply get(String path) {
    return send(0, HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Reply delete(String path) {
    return send(0, HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  /** A multipart upload of {@code files} into the collection under the source path prefix {@code prefix}. */
  Reply upload(List<Path> files, String prefix) throws IOException {
    String boundary = "load-" + Long.toHexString(System.nanoTime());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"path\"\r\n\r\n" + prefix + "\r\n")
        .getBytes(StandardCharsets.UTF_8));
    for (Path file : files) {
      body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
          + file.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      body.write(Files.readAllBytes(file));
      body.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return send(0, HttpRequest.newBuilder(URI.create(base + "/api/collections/" + collection + "/documents"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  /** The job's state once it is neither queued nor running (polled every 500 ms), or null after {@code limit}. */
  JsonNode awaitJob(String jobId, Duration limit) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      Reply r = get("/api/jobs/" + jobId);
      if (r.status() == 200) {
        JsonNode job = r.json();
        String state = job.path("state").asText();
        if (!state.equals("queued") && !state.equals("running")) {
          return job;
        }
      }
      Thread.sleep(500);
    }
    return null;
  }

  Reply send(int client, HttpRequest.Builder request) {
    CompletableFuture<HttpResponse<String>> future = clients[Math.floorMod(client, clients.length)]
        .sendAsync(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    try {
      HttpResponse<String> response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Reply(response.statusCode(), response.headers(), response.body(), null);
    } catch (TimeoutException e) {
      future.cancel(true);
      return new Reply(0, null, "", LoadOutcome.error(0, "no complete response within " + timeout.toSeconds() + " s"));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new Reply(0, null, "", LoadOutcome.error(0, cause.getClass().getSimpleName() + ": " + cause.getMessage()));
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return new Reply(0, null, "", LoadOutcome.error(0, "interrupted"));
    }
  }

  private static LoadOutcome expect(Reply reply, Pattern body, String what) {
    LoadOutcome outcome = reply.outcome();
    if (outcome.kind() == LoadOutcome.Kind.OK && !body.matcher(reply.body()).find()) {
      return LoadOutcome.error(reply.status(), "expected " + what + ": " + LoadOutcome.excerpt(reply.body()));
    }
    return outcome;
  }

  /** A chat stream is a success when it ends with a {@code done} event; an {@code error} event is an error. */
  private static LoadOutcome chat(Reply reply) {
    LoadOutcome outcome = reply.outcome();
    if (outcome.kind() != LoadOutcome.Kind.OK) {
      return outcome;
    }
    Map<String, String> events = new LinkedHashMap<>();
    for (String block : reply.body().split("\n\n")) {
      String name = null;
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event:")) {
          name = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).strip());
        }
      }
      if (name != null) {
        events.put(name, data.toString());
      }
    }
    if (events.containsKey("error")) {
      return LoadOutcome.error(reply.status(), "chat error event: " + LoadOutcome.excerpt(events.get("error")));
    }
    if (!events.containsKey("done")) {
      return LoadOutcome.error(reply.status(), "chat stream ended without done, events " + events.keySet());
    }
    return outcome;
  }
}
