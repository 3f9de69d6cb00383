package rag.storage.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import rag.storage.embed.EmbeddingException.Failure;
import rag.storage.embed.ScriptedEmbeddingServer.RecordedRequest;
import rag.storage.embed.ScriptedEmbeddingServer.Reply;

/** The embedder against a scripted OpenAI-compatible server on a loopback socket. */
class OpenAiCompatibleEmbedderIT {
  private static final String MODEL = "test-embed-model";
  private static final int DIMENSION = 8;

  private final ScriptedEmbeddingServer server = ScriptedEmbeddingServer.start(DIMENSION);

  @AfterEach
  void stopServer() {
    server.close();
  }

  private OpenAiEmbeddingSettings settings() {
    return OpenAiEmbeddingSettings.of(server.baseUrl(), MODEL).withDimension(DIMENSION).withMaxRetries(0);
  }

  @Test
  void splitsLargeListsIntoBatchesAndKeepsTheOrder() {
    server.requireApiKey("sk-test-key");
    var embedder = new OpenAiCompatibleEmbedder(settings().withApiKey("sk-test-key").withMaxBatchSize(3));
    assertThat(server.requests()).as("a configured dimension needs no probe").isEmpty();
    List<String> texts = IntStream.range(0, 8).mapToObj(i -> "chunk number " + i).toList();

    List<float[]> vectors = embedder.embed(texts);

    assertThat(vectors).hasSize(8);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(vectors.get(i)).as("vector %d", i).containsExactly(ScriptedEmbeddingServer.vectorFor(texts.get(i),
          DIMENSION));
    }
    List<RecordedRequest> requests = server.requests();
    assertThat(requests).extracting(r -> r.input().size()).containsExactly(3, 3, 2);
    assertThat(requests.stream().flatMap(r -> r.input().stream()).toList()).isEqualTo(texts);
    assertThat(requests).allSatisfy(r -> {
      assertThat(r.model()).isEqualTo(MODEL);
      assertThat(r.authorization()).isEqualTo("Bearer sk-test-key");
    });
    assertThat(embedder.modelName()).isEqualTo("openai:" + MODEL);
    assertThat(embedder.dimension()).isEqualTo(DIMENSION);
    assertThat(embedder.embed(List.of())).isEmpty();
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void discoversTheDimensionWithOneProbeAtConstruction() {
    try (var wide = ScriptedEmbeddingServer.start(12)) {
      var embedder = new OpenAiCompatibleEmbedder(OpenAiEmbeddingSettings.of(wide.baseUrl(), MODEL));

      assertThat(embedder.dimension()).isEqualTo(12);
      assertThat(wide.requests()).singleElement()
          .satisfies(r -> assertThat(r.input()).containsExactly(OpenAiCompatibleEmbedder.DIMENSION_PROBE));
      assertThat(embedder.embed(List.of("a", "b"))).hasSize(2).allSatisfy(v -> assertThat(v).hasSize(12));
      assertThat(wide.requests()).hasSize(2);
    }
  }

  @Test
  void putsTheQueryPrefixBeforeQuestionsOnly() {
    var embedder = new OpenAiCompatibleEmbedder(settings().withQueryPrefix("query: "));

    float[] question = embedder.embedQuery("how do sessions expire?");
    float[] passage = embedder.embed(List.of("Sessions expire after an hour.")).get(0);

    assertThat(server.requests()).extracting(RecordedRequest::input)
        .containsExactly(List.of("query: how do sessions expire?"), List.of("Sessions expire after an hour."));
    assertThat(question).containsExactly(ScriptedEmbeddingServer.vectorFor("query: how do sessions expire?",
        DIMENSION));
    assertThat(passage).containsExactly(ScriptedEmbeddingServer.vectorFor("Sessions expire after an hour.",
        DIMENSION));
    assertThat(server.requests()).allSatisfy(r -> {
      assertThat(r.authorization()).as("no key, no header").isNull();
      assertThat(r.encodingFormat()).as("floats, the default").isNull();
    });
  }

  @Test
  void serverErrorNamesServerModelStatusAndBody() {
    server.script(Reply.error(500, "CUDA out of memory"));
    var embedder = new OpenAiCompatibleEmbedder(settings());

    assertThatThrownBy(() -> embedder.embed(List.of("x")))
        .isInstanceOfSatisfying(EmbeddingException.class, e -> assertThat(e.failure()).isEqualTo(Failure.SERVER_ERROR))
        .hasMessageContaining(server.baseUrl())
        .hasMessageContaining(MODEL)
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining("CUDA out of memory");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void rejectedRequestsShowTheServersOwnMessage() {
    server.script(
        Reply.raw(404, "{\"object\":\"error\",\"message\":\"The model `nomic` does not exist.\",\"type\":"
            + "\"NotFoundError\",\"param\":null,\"code\":404}"),
        Reply.raw(413, "{\"error\":\"Input validation error: batch size 9 > maximum allowed batch size 8\","
            + "\"error_type\":\"Validation\"}"),
        Reply.error(429, "Rate limit reached"));
    var embedder = new OpenAiCompatibleEmbedder(settings());

    assertThatThrownBy(() -> embedder.embed(List.of("x")))
        .isInstanceOfSatisfying(EmbeddingException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.REQUEST_REJECTED))
        .hasMessage("embedding server " + server.baseUrl() + " (model " + MODEL + ") answered HTTP 404:"
            + " The model `nomic` does not exist.");
    assertThatThrownBy(() -> embedder.embed(List.of("x")))
        .isInstanceOfSatisfying(EmbeddingException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.REQUEST_REJECTED))
        .hasMessageEndingWith("answered HTTP 413: Input validation error: batch size 9 > maximum allowed batch size 8");
    assertThatThrownBy(() -> embedder.embed(List.of("x")))
        .isInstanceOfSatisfying(EmbeddingException.class, e -> assertThat(e.failure()).isEqualTo(Failure.SERVER_ERROR))
        .hasMessageEndingWith("answered HTTP 429: Rate limit reached");
  }

  @Test
  void retriesAServerErrorWhenAllowed() {
    server.script(Reply.error(503, "model is loading"));
    var embedder = new OpenAiCompatibleEmbedder(settings().withMaxRetries(1));

    assertThat(embedder.embed(List.of("retry me"))).singleElement()
        .satisfies(v -> assertThat(v).containsExactly(ScriptedEmbeddingServer.vectorFor("retry me", DIMENSION)));
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void refusedKeyFailsAtOnceAndIsNeverShown() {
    String secret = "sk-wrong-secret-4711";
    server.requireApiKey("sk-right");
    var settings = settings().withApiKey(secret).withMaxRetries(2);
    var embedder = new OpenAiCompatibleEmbedder(settings);

    assertThatThrownBy(() -> embedder.embed(List.of("x")))
        .isInstanceOfSatisfying(EmbeddingException.class, e -> assertThat(e.failure()).isEqualTo(Failure.UNAUTHORIZED))
        .hasMessageContaining(server.baseUrl())
        .hasMessageContaining(MODEL)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("Incorrect API key provided: ***")
        .hasMessageNotContaining(secret);
    assertThat(server.requests()).as("401 is not retried").hasSize(1);
    assertThat(settings.toString()).doesNotContain(secret).contains("apiKey=***");
    assertThat(embedder.toString()).doesNotContain(secret).contains(server.baseUrl());
    assertThatThrownBy(() -> new OpenAiCompatibleEmbedder(settings.withDimension(null)))
        .as("the dimension probe fails the same way")
        .isInstanceOfSatisfying(EmbeddingException.class, e -> assertThat(e.failure()).isEqualTo(Failure.UNAUTHORIZED))
        .hasMessageNotContaining(secret);
  }

  @Test
  void closedPortIsUnreachable() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String baseUrl = "http://127.0.0.1:" + port + "/v1";

    assertThatThrownBy(() -> new OpenAiCompatibleEmbedder(
        OpenAiEmbeddingSettings.of(baseUrl, MODEL).withMaxRetries(0)))
        .isInstanceOfSatisfying(EmbeddingException.class, e -> assertThat(e.failure()).isEqualTo(Failure.UNREACHABLE))
        .hasMessageContaining("cannot connect to embedding server " + baseUrl + " (model " + MODEL + ")");
  }

  @Test
  void wrongDimensionFromTheServerIsRejected() {
    server.script(Reply.withDimension(12));
    var embedder = new OpenAiCompatibleEmbedder(settings());

    assertThatThrownBy(() -> embedder.embed(List.of("a", "b")))
        .isInstanceOfSatisfying(EmbeddingException.class, e -> assertThat(e.failure()).isEqualTo(Failure.BAD_RESPONSE))
        .hasMessageContaining(server.baseUrl())
        .hasMessageContaining(MODEL)
        .hasMessageContaining("dimension 12 for text 0 of 2, expected 8 (configured)");
  }

  @Test
  void missingVectorsAreRejected() {
    server.script(Reply.missingVectors(1));
    var embedder = new OpenAiCompatibleEmbedder(settings());

    assertThatThrownBy(() -> embedder.embed(List.of("a", "b", "c")))
        .isInstanceOfSatisfying(EmbeddingException.class, e -> assertThat(e.failure()).isEqualTo(Failure.BAD_RESPONSE))
        .hasMessageContaining("returned 2 vectors for 3 texts")
        .hasMessageContaining(server.baseUrl());
  }

  @Test
  void bodyThatIsNotJsonIsABadResponse() {
    server.script(Reply.raw(200, "<html><body>proxy login</body></html>"));
    var embedder = new OpenAiCompatibleEmbedder(settings());

    assertThatThrownBy(() -> embedder.embed(List.of("a")))
        .isInstanceOfSatisfying(EmbeddingException.class, e -> assertThat(e.failure()).isEqualTo(Failure.BAD_RESPONSE))
        .hasMessageContaining("not an embeddings response")
        .hasMessageContaining(server.baseUrl());
  }

  @Test
  void slowServerTimesOut() {
    server.script(Reply.delayed(Duration.ofSeconds(5)));
    var embedder = new OpenAiCompatibleEmbedder(settings().withTimeout(Duration.ofMillis(300)));

    long start = System.nanoTime();
    assertThatThrownBy(() -> embedder.embed(List.of("slow")))
        .isInstanceOfSatisfying(EmbeddingException.class, e -> assertThat(e.failure()).isEqualTo(Failure.TIMEOUT))
        .hasMessageContaining("did not answer within 300 ms")
        .hasMessageContaining(server.baseUrl())
        .hasMessageContaining(MODEL);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void blankTextIsRefusedBeforeAnyRequest() {
    var embedder = new OpenAiCompatibleEmbedder(settings());

    assertThatThrownBy(() -> embedder.embed(List.of("fine", " ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("text 1 of 2 is null or blank; embedding servers reject empty input");
    assertThat(server.requests()).isEmpty();
  }
}
