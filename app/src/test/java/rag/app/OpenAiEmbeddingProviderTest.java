package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With rag.embedding.provider=openai, ingest and query embed through the configured server. */
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
}
