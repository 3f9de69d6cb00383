package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rag.storage.embed.ScriptedEmbeddingServer.Reply;

/**
 * With rag.embedding.provider=openai, ingest and query embed through the configured server, and a search whose query
 * the server refuses is a problem (dense) or BM25 alone with a warning (hybrid), never a 500.
 */
@QuarkusTest
@WithTestResource(TempDataDir.class)
@WithTestResource(ScriptedEmbeddings.class)
class OpenAiEmbeddingProviderTest {
  @Test
  void documentsAndQuestionsAreEmbeddedByTheServer() throws Exception {
    String collection = IngestApiTest.newCollection();
    String jobId = given().multiPart("file", "tides.txt",
        "Spring tides come twice a month. Neap tides are weaker.".getBytes(StandardCharsets.UTF_8), "text/plain")
        .when().post("/api/collections/" + collection + "/documents").then().statusCode(202).extract().jsonPath()
        .getString("jobId");
    assertThat(IngestApiTest.awaitJob(jobId).getString("files[0].status")).isEqualTo("done");
    assertThat(ScriptedEmbeddings.server.requests()).anySatisfy(r -> {
      assertThat(r.model()).isEqualTo("scripted-embedder");
      assertThat(r.input()).anyMatch(text -> text.contains("Spring tides come twice a month."));
    });
    int before = ScriptedEmbeddings.server.requests().size();
    given().contentType(ContentType.JSON).body(Map.of("question", "When are spring tides?", "mode", "retrieve"))
        .when().post("/api/collections/" + collection + "/plan").then().statusCode(200);
    assertThat(ScriptedEmbeddings.server.requests().subList(before, ScriptedEmbeddings.server.requests().size()))
        .anySatisfy(r -> assertThat(r.input()).containsExactly("When are spring tides?"));
  }

  @Test
  void aSearchWhoseQueryCannotBeEmbeddedIsAProblemForDenseAndBm25AloneForHybrid() throws Exception {
    String collection = IngestApiTest.newCollection();
    String jobId = given().multiPart("file", "tides.txt",
        "Spring tides come twice a month. Neap tides are weaker.".getBytes(StandardCharsets.UTF_8), "text/plain")
        .when().post("/api/collections/" + collection + "/documents").then().statusCode(202).extract().jsonPath()
        .getString("jobId");
    assertThat(IngestApiTest.awaitJob(jobId).getString("files[0].status")).isEqualTo("done");
    String search = "/api/collections/" + collection + "/search";

    ScriptedEmbeddings.server.script(Reply.error(401, "invalid api key"));
    given().contentType(ContentType.JSON).body(Map.of("query", "neap tides", "retriever", "dense")).when().post(search)
        .then().statusCode(502).contentType("application/problem+json")
        .body("type", equalTo("/problems/embedding-failed"))
        .body("detail", startsWith("the question could not be embedded: "));

    // 5xx is retried (rag.embedding.openai.max-retries, default 2): three failures in a row
    ScriptedEmbeddings.server.script(Reply.error(503, "overloaded"), Reply.error(503, "overloaded"),
        Reply.error(503, "overloaded"));
    given().contentType(ContentType.JSON).body(Map.of("query", "neap tides", "retriever", "dense")).when().post(search)
        .then().statusCode(503).contentType("application/problem+json")
        .body("type", equalTo("/problems/embedding-unavailable"));

    ScriptedEmbeddings.server.script(Reply.error(401, "invalid api key"));
    given().contentType(ContentType.JSON).body(Map.of("query", "neap tides")).when().post(search)
        .then().statusCode(200).body("retriever", equalTo("hybrid"))
        .body("results[0].text", startsWith("Spring tides come twice a month."))
        .body("results[0].bm25Rank", equalTo(1)).body("results[0].denseRank", nullValue())
        .body("warnings[0]", containsString("the question could not be embedded"))
        .body("warnings[0]", endsWith("ranked by BM25 alone"));

    given().contentType(ContentType.JSON).body(Map.of("query", "neap tides", "retriever", "dense")).when().post(search)
        .then().statusCode(200).body("results[0].text", startsWith("Spring tides")).body("warnings", empty());
  }
}
