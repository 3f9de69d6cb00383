package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import rag.query.rerank.ScriptedRerankServer;
import rag.query.rerank.ScriptedRerankServer.Reply;

/**
 * A configured reranker ({@code rag.rerank.*}, a scripted server on a socket) through the API: search with
 * {@code hybrid+rerank}, answers whose plans say how their candidates were ordered, a collection retrieval-accuracy run
 * that measures {@code hybrid+rerank} beside {@code hybrid}, and a failing or stalling reranker leaving the fused order
 * with the reason.
 */
@QuarkusTest
@WithTestResource(TempDataDir.class)
@WithTestResource(ScriptedReranker.class)
class RerankApiTest {
  private static final String TRANSCRIPT = """
      WEBVTT

      00:00:01.000 --> 00:00:04.000
      <v Alice>We trimmed the wicks at dusk, every evening.

      00:00:04.500 --> 00:00:09.000
      <v Bob>The foghorn sounded every thirty seconds in the fog.
      """;
  private static final String NOTES = "The lighthouse at Point Reyes was built in 1870. Its lens came from France."
      + " Fog covers the headland for many days each summer.";
  private static String collection;

  @BeforeEach
  void ingestOnce() throws Exception {
    if (collection != null) {
      return;
    }
    collection = IngestApiTest.newCollection();
    String jobId = given().multiPart("file", "keeper.vtt", TRANSCRIPT.getBytes(StandardCharsets.UTF_8), "text/vtt")
        .multiPart("file", "notes.txt", NOTES.getBytes(StandardCharsets.UTF_8), "text/plain")
        .when().post("/api/collections/" + collection + "/documents").then().statusCode(202).extract().jsonPath()
        .getString("jobId");
    assertThat(IngestApiTest.awaitJob(jobId).getString("state")).isEqualTo("succeeded");
  }

  private static JsonPath post(String path, Map<String, Object> body) {
    return given().contentType(ContentType.JSON).body(body).when().post("/api/collections/" + collection + path)
        .then().statusCode(200).extract().jsonPath();
  }

  @Test
  void searchWithHybridPlusRerankOrdersByTheRerankersRelevance() {
    String query = "the foghorn sounded for many days";
    JsonPath found = post("/search", Map.of("query", query, "retriever", "hybrid+rerank"));
    assertThat(found.getString("retriever")).isEqualTo("hybrid+rerank");
    assertThat(found.getList("warnings")).isEmpty();
    List<String> texts = found.getList("results.text", String.class);
    List<Float> scores = found.getList("results.score", Float.class);
    assertThat(texts).isNotEmpty();
    for (int i = 0; i < texts.size(); i++) {
      assertThat((double) scores.get(i)).as("hit %d scored by the reranker", i)
          .isCloseTo(ScriptedRerankServer.relevance(query, texts.get(i)), org.assertj.core.data.Offset.offset(1e-6));
    }
    assertThat(scores).isSortedAccordingTo((a, b) -> Float.compare(b, a));
    ScriptedRerankServer.RecordedRequest sent = last();
    assertThat(sent.model()).isEqualTo("bge-reranker-v2-m3");
    assertThat(sent.query()).isEqualTo(query);
    assertThat(sent.field()).isEqualTo("documents");
  }

  @Test
  void aFailingOrStallingRerankerLeavesTheFusedOrderWithAWarning() {
    String query = "when was the lighthouse built";
    List<String> fused = post("/search", Map.of("query", query, "retriever", "hybrid")).getList("results.chunkId");

    ScriptedReranker.server.script(Reply.error(500, "{\"error\": \"out of memory\"}"));
    JsonPath failed = post("/search", Map.of("query", query, "retriever", "hybrid+rerank"));
    assertThat(failed.getList("results.chunkId")).isEqualTo(fused);
    assertThat(failed.getList("warnings", String.class)).containsExactly("the reranker bge-reranker-v2-m3 failed (the"
        + " rerank server answered HTTP 500: {\"error\": \"out of memory\"}): fused order kept");

    ScriptedReranker.server.script(Reply.delayed(Duration.ofSeconds(4)));
    long start = System.nanoTime();
    JsonPath stalled = post("/search", Map.of("query", query, "retriever", "hybrid+rerank"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(stalled.getList("results.chunkId")).isEqualTo(fused);
    assertThat(stalled.getList("warnings", String.class)).singleElement().asString().contains("1000 ms");
  }

  @Test
  void answersRerankTheirCandidatesAndThePlanSaysSo() {
    JsonPath answer = post("/query", Map.of("question", "How often did the foghorn sound?", "mode", "retrieve"));
    assertThat(answer.getString("plan.rerank")).matches("the fused top \\d+ reranked by bge-reranker-v2-m3 in \\d+ ms");
    assertThat(answer.getString("plan.reason")).contains(answer.getString("plan.rerank"));
    assertThat(answer.getString("answer")).contains("foghorn sounded every thirty seconds");

    JsonPath stuffed = post("/query", Map.of("question", "How often did the foghorn sound?", "mode", "stuff"));
    assertThat(stuffed.getString("plan.rerank")).as("stuffing retrieves nothing").isNull();
  }

  @Test
  void aRetrievalAccuracyRunMeasuresHybridPlusRerankBesideHybrid() throws Exception {
    String runId = rag.app.eval.EvalApiTest.submit("/api/eval/qa", "{\"collection\": \"" + collection
        + "\", \"retrievers\": [\"hybrid\", \"hybrid+rerank\"], \"questions\": [{\"id\": \"fog\", \"question\":"
        + " \"How often did the foghorn sound?\", \"expected\": [{\"source\": \"keeper.vtt\", \"timeMs\": [4500,"
        + " 9000]}]}, {\"id\": \"lens\", \"question\": \"Where did the lens come from?\", \"expected\": [{\"source\":"
        + " \"notes.txt\", \"text\": \"lens came from France\"}]}]}");
    JsonPath run = rag.app.eval.EvalApiTest.await(runId);
    assertThat(run.getString("state")).as(run.prettify()).isEqualTo("succeeded");
    assertThat(run.getMap("result.metrics")).containsOnlyKeys("hybrid", "hybrid+rerank");
    assertThat(run.getFloat("result.metrics['hybrid+rerank']['hits@1']")).isEqualTo(1.0f);
    assertThat(run.getList("result.questions[0].outcomes.retriever")).containsExactly("hybrid", "hybrid+rerank");
  }

  private static ScriptedRerankServer.RecordedRequest last() {
    List<ScriptedRerankServer.RecordedRequest> requests = ScriptedReranker.server.requests();
    return requests.get(requests.size() - 1);
  }
}
