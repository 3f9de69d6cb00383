package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rag.storage.Archive;
import rag.storage.embed.ScriptedEmbeddingServer;
import rag.storage.embed.ScriptedEmbeddingServer.RecordedRequest;
import rag.storage.embed.ScriptedEmbeddingServer.Reply;
import rag.storage.model.ScoredChunk;
import rag.storage.model.SearchFilter;
import rag.storage.vector.VectorQuery;

/**
 * The service started on an archive whose vectors came from an embedding server of another dimension
 * ({@link OldModelArchive}): it starts, says the collection needs re-indexing, answers from BM25, re-indexes over
 * HTTP while the old vectors keep serving, then switches to the new vectors at once. Run on each backend.
 */
abstract class ReindexApiContract {
  private static final String C = OldModelArchive.COLLECTION;
  private static final String MODEL = "openai:" + OldModelArchive.MODEL;
  private static final String QUESTION = "When do spring tides come?";

  @Inject
  Archive archive;

  private static JsonPath ask() {
    return given().contentType(ContentType.JSON).body(Map.of("question", QUESTION, "mode", "retrieve"))
        .when().post("/api/collections/" + C + "/query").then().statusCode(200).extract().jsonPath();
  }

  private static boolean embedded(List<RecordedRequest> requests, String text) {
    return requests.stream().anyMatch(r -> r.input().contains(text));
  }

  private List<ScoredChunk> knn(int dimension) {
    return archive.vectorSearch(new VectorQuery(ScriptedEmbeddingServer.vectorFor(OldModelArchive.TEXTS.get(0),
        dimension), SearchFilter.collection(C), 10, MODEL));
  }

  @Test
  void aCollectionOfAnotherModelAnswersFromBm25UntilReindexedThenSwitchesAtOnce() throws Exception {
    ScriptedEmbeddingServer server = OldModelArchive.server;

    // 1. the service started; the collection and the readiness check say it needs re-indexing
    given().when().get("/api/collections/" + C).then().statusCode(200)
        .body("documents", equalTo(3))
        .body("vectors.model", equalTo(MODEL)).body("vectors.dimension", equalTo(64))
        .body("vectors.needsReindex", equalTo(true))
        .body("vectors.configuredModel", equalTo(MODEL)).body("vectors.configuredDimension", equalTo(96));
    given().when().get("/api/collections").then().statusCode(200)
        .body("find { it.name == '" + C + "' }.vectors.needsReindex", equalTo(true));
    given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
        .body("checks.find { it.name == 'stores' }.data.needsReindex",
            equalTo(C + " (vectors of " + MODEL + " (64 dimensions))"))
        .body("checks.find { it.name == 'stores' }.data.embeddingModel", equalTo(MODEL + " (96 dimensions)"));

    // 2. questions are answered from BM25 alone, the plan says so, and the question is not embedded
    int before = server.requests().size();
    JsonPath bm25 = ask();
    assertThat(bm25.getString("plan.retrieval")).isEqualTo("bm25");
    assertThat(bm25.getString("plan.vectorSearchOff")).contains("holds vectors of " + MODEL + " (64 dimensions)")
        .contains("until it is re-indexed");
    assertThat(bm25.getString("plan.reason")).contains("BM25 only");
    assertThat(bm25.getString("citations[0].snippet")).contains("Spring tides come twice a month");
    assertThat(embedded(server.requests().subList(before, server.requests().size()), QUESTION)).isFalse();

    // 3. re-index; the server answers the first request late, so the job is still running during the checks
    server.script(Reply.delayed(Duration.ofSeconds(4)));
    JsonPath accepted = given().when().post("/api/collections/" + C + "/reindex").then().statusCode(202)
        .header("Location", containsString("/api/jobs/")).body("kind", equalTo("reindex"))
        .body("files.size()", equalTo(3)).body("files[0].outcome", equalTo("re-indexed"))
        .extract().jsonPath();
    String jobId = accepted.getString("jobId");
    assertThat(given().when().post("/api/collections/" + C + "/reindex").then().statusCode(202).extract()
        .jsonPath().getString("jobId")).as("asked again while it runs").isEqualTo(jobId);

    given().when().get("/api/collections/" + C).then().body("vectors.needsReindex", equalTo(true));
    assertThat(ask().getString("plan.retrieval")).isEqualTo("bm25");
    List<ScoredChunk> old = knn(64);
    assertThat(old).as("the old vectors serve questions of the old model").hasSize(3);
    assertThat(old.get(0).chunk().text()).isEqualTo(OldModelArchive.TEXTS.get(0));
    assertThat(old.get(0).score()).isGreaterThan(0.99f);
    assertThat(knn(96)).as("never the new vectors before the switch").isEmpty();
    assertThat(given().when().get("/api/jobs/" + jobId).then().extract().jsonPath().getString("state"))
        .as("the checks above ran during the re-index").isEqualTo("running");

    // 4. every document has new vectors: the collection switched, its old vectors are gone
    JsonPath done = IngestApiTest.awaitJob(jobId);
    assertThat(done.getString("state")).isEqualTo("succeeded");
    assertThat(done.getList("files.status", String.class)).containsOnly("done");
    given().when().get("/api/collections/" + C).then().statusCode(200)
        .body("vectors.needsReindex", equalTo(false)).body("vectors.dimension", equalTo(96));
    OldModelArchive.TEXTS.forEach(text -> assertThat(embedded(server.requests(), text))
        .as("embedded anew, not taken from the cache of the 64-dimension vectors: %s", text).isTrue());
    List<ScoredChunk> fresh = knn(96);
    assertThat(fresh).hasSize(3);
    assertThat(fresh.get(0).chunk().text()).isEqualTo(OldModelArchive.TEXTS.get(0));
    assertThat(fresh.get(0).score()).isGreaterThan(0.99f);
    assertThat(knn(64)).isEmpty();
    assertThat(archive.generations().open()).as("the old generation is dropped").hasSize(1);

    before = server.requests().size();
    JsonPath hybrid = ask();
    assertThat(hybrid.getString("plan.retrieval")).isEqualTo("hybrid");
    assertThat(hybrid.getString("plan.vectorSearchOff")).isNull();
    assertThat(hybrid.getString("plan.reason")).doesNotContain("BM25 only");
    assertThat(embedded(server.requests().subList(before, server.requests().size()), QUESTION)).isTrue();
    given().when().get("/q/health/ready").then().statusCode(200)
        .body("checks.find { it.name == 'stores' }.data.needsReindex", nullValue());

    // 5. nothing left to do; an unknown collection is a problem
    given().when().post("/api/collections/" + C + "/reindex").then().statusCode(202)
        .body("files.size()", equalTo(0)).body("state", equalTo("succeeded"));
    given().when().post("/api/collections/no-such-collection/reindex").then().statusCode(404)
        .contentType("application/problem+json").body("detail", containsString("no-such-collection"));
  }
}
