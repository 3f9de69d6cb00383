package rag.app.eval;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import rag.app.IngestApiTest;
import rag.app.TempDataDir;

/**
 * Retrieval accuracy over a collection of real files (a PDF, a transcript, Java source): a question set stored with
 * the collection, a run over it with each retriever, hits graded by page, time, line range or text, and the report.
 */
@QuarkusTest
@WithTestResource(TempDataDir.class)
class QaApiTest {
  private static final Path FIXTURES = Path.of("..", "ingest", "src", "test", "resources", "fixtures");
  private static final String SET = """
      {"id": "stock", "question": "What happens when the count added to the stock is not positive?", "expected": [{"source": "Inventory.java", "text": "count must be positive"}], "answer": "an IllegalArgumentException"}
      {"id": "tides", "question": "Why are there two tides a day?", "expected": [{"source": "lecture-crlf-bom.srt", "timeMs": [6000, 12000]}]}
      {"id": "minutes", "question": "At what time was the session of the demolition committee closed?", "expected": [{"source": "report-blank-page.pdf", "pages": [3, 3]}]}
      """;

  @Test
  void aStoredQuestionSetGradesEachRetrieversRankings() throws Exception {
    String collection = IngestApiTest.newCollection();
    String jobId = given().multiPart("file", FIXTURES.resolve("Inventory.java").toFile())
        .multiPart("file", FIXTURES.resolve("lecture-crlf-bom.srt").toFile())
        .multiPart("file", FIXTURES.resolve("report-blank-page.pdf").toFile())
        .when().post("/api/collections/" + collection + "/documents").then().statusCode(202).extract().jsonPath()
        .getString("jobId");
    assertThat(IngestApiTest.awaitJob(jobId).getString("state")).isEqualTo("succeeded");
    String sets = "/api/collections/" + collection + "/question-sets";

    given().contentType("application/x-ndjson").body(SET.getBytes(StandardCharsets.UTF_8)).queryParam("name", "smoke").post(sets).then()
        .statusCode(201).body("name", equalTo("smoke")).body("questions", equalTo(3));
    given().contentType("application/x-ndjson").body(SET.getBytes(StandardCharsets.UTF_8)).queryParam("name", "smoke").post(sets).then()
        .statusCode(200);
    given().get(sets).then().statusCode(200).body("name", equalTo(List.of("smoke")));
    assertThat(given().get(sets + "/smoke").then().statusCode(200).extract().asString()).isEqualTo(SET);
    given().contentType("application/x-ndjson").body("{\"id\": \"x\", \"question\": \"?\", \"expected\": []}\n".getBytes(StandardCharsets.UTF_8))
        .queryParam("name", "bad").post(sets).then().statusCode(400)
        .body("detail", equalTo("question set 'bad': line 1: question x needs at least one \"expected\" passage"));
    given().contentType("application/x-ndjson").body(SET.getBytes(StandardCharsets.UTF_8)).queryParam("name", "../x").post(sets).then()
        .statusCode(400);

    String runId = EvalApiTest.submit("/api/eval/qa", "{\"collection\": \"" + collection + "\", \"questionSet\":"
        + " \"smoke\", \"budgets\": [2048, 256]}");
    JsonPath run = EvalApiTest.await(runId);
    assertThat(run.getString("state")).as(run.prettify()).isEqualTo("succeeded");
    assertThat(run.getString("kind")).isEqualTo("qa");
    assertThat(run.getInt("progress.total")).as("3 questions x (3 retrievers + 2 budgets)").isEqualTo(15);
    assertThat(run.getList("result.packing.budget", Integer.class)).containsExactly(256, 2048);
    List<Float> recall = run.getList("result.packing.recall", Float.class);
    assertThat(recall.get(1)).as("2,048 tokens hold the whole small collection").isEqualTo(1f);
    assertThat(recall.get(0)).isLessThanOrEqualTo(recall.get(1));
    assertThat(run.getList("result.packing.meanPromptTokens", Float.class).get(0)).isLessThanOrEqualTo(256f);
    assertThat(run.getString("settings.profile")).isEqualTo("qwen3");
    Map<String, Map<String, Float>> metrics = run.getMap("result.metrics");
    assertThat(metrics).containsOnlyKeys("bm25", "dense", "hybrid");
    assertThat(metrics.get("bm25")).containsOnlyKeys("hits@1", "hits@5", "hits@10", "mrr@10", "ndcg@10");
    assertThat(metrics.get("hybrid").get("hits@5")).as(run.prettify()).isEqualTo(1f);
    // BM25 cannot match the English question to the French minutes; the multilingual-enough embedding can
    assertThat(run.getList("result.questions.collect { it.outcomes[0].hitRank }")).containsExactly(1, 1, null);
    assertThat(metrics.get("bm25").get("hits@10")).isEqualTo(2 / 3f);
    assertThat(metrics.get("dense").get("hits@1")).isEqualTo(1f);
    List<Map<String, Object>> questions = run.getList("result.questions");
    assertThat(questions).extracting(q -> q.get("id")).containsExactly("stock", "tides", "minutes");
    assertThat(run.getList("result.questions[1].outcomes[0].retrieved.grade", String.class)).contains("PASSAGE");

    Document report = EvalApiTest.report(runId);
    assertThat(report.select("table.qa-metrics td[data-retriever=hybrid][data-metric=hits@5]").attr("data-value"))
        .isEqualTo("1.0");
    assertThat(report.select("svg.qa-chart rect")).hasSize(3);
    assertThat(report.select("table.qa-packing tbody tr")).extracting(r -> r.attr("data-budget"))
        .containsExactly("256", "2048");
    assertThat(report.select("table.qa-questions tr[data-question]")).hasSize(3);

    // the same questions, the first one now expecting words its file does not hold: compared with the first run
    String changed = SET.replace("count must be positive", "words the file does not hold");
    given().contentType("application/x-ndjson").body(changed.getBytes(StandardCharsets.UTF_8))
        .queryParam("name", "changed").post(sets).then().statusCode(201);
    String second = EvalApiTest.submit("/api/eval/qa", "{\"collection\": \"" + collection + "\", \"questionSet\":"
        + " \"changed\"}");
    assertThat(EvalApiTest.await(second).getString("state")).isEqualTo("succeeded");
    JsonPath compared = given().queryParam("base", runId).queryParam("run", second).get("/api/eval/compare").then()
        .statusCode(200).extract().jsonPath();
    assertThat(compared.getInt("regressions")).as(compared.prettify()).isEqualTo(3);
    assertThat(compared.getInt("improvements")).isZero();
    assertThat(compared.getList("questions[0].changes.verdict")).containsOnly("regressed");
    assertThat(compared.getList("questions[1].changes.verdict")).containsOnly("same");
    assertThat(compared.getDouble("metrics.bm25['hits@1'].delta")).isCloseTo(-1 / 3.0,
        org.assertj.core.data.Offset.offset(1e-6));
    String page = given().queryParam("base", runId).queryParam("run", second).get("/api/eval/compare.html").then()
        .statusCode(200).contentType(containsString("text/html")).extract().asString();
    assertThat(org.jsoup.Jsoup.parse(page).select("table.changes tr.regressed")).hasSize(3);
    given().queryParam("base", runId).queryParam("run", "20200101-000000-aaaaaa").get("/api/eval/compare").then()
        .statusCode(404);

    String inline = EvalApiTest.submit("/api/eval/qa", "{\"collection\": \"" + collection + "\", \"retrievers\":"
        + " [\"bm25\"], \"questions\": [{\"id\": \"q\", \"question\": \"two tides a day\", \"expected\":"
        + " [{\"source\": \"lecture-crlf-bom.srt\", \"text\": \"the Moon pulls the far side\"}]},"
        + " {\"id\": \"r\", \"question\": \"two tides a day\", \"expected\": [{\"source\":"
        + " \"lecture-crlf-bom.srt\", \"text\": \"words the transcript never says\"}]}]}");
    JsonPath inlineRun = EvalApiTest.await(inline);
    assertThat(inlineRun.getString("state")).as(inlineRun.prettify()).isEqualTo("succeeded");
    assertThat(inlineRun.getMap("result.metrics")).containsOnlyKeys("bm25");
    assertThat(inlineRun.getInt("result.questions[0].outcomes[0].hitRank")).isEqualTo(1);
    // the second question's text is nowhere: its document ranks first, but no chunk holds the passage
    assertThat(inlineRun.getString("result.questions[1].outcomes[0].hitRank")).isNull();
    assertThat(inlineRun.getInt("result.questions[1].outcomes[0].documentRank")).isEqualTo(1);
    assertThat(inlineRun.getList("result.questions[1].outcomes[0].retrieved.grade", String.class))
        .contains("DOCUMENT").doesNotContain("PASSAGE");
    assertThat(inlineRun.getFloat("result.metrics.bm25['hits@10']")).isEqualTo(0.5f);
    assertThat(inlineRun.getDouble("result.metrics.bm25['ndcg@10']")).isCloseTo((1 + 1 / 3.0) / 2,
        org.assertj.core.data.Offset.offset(1e-6));

    Map<String, String> refused = Map.of(
        "{\"collection\": \"" + collection + "\"}", "give a questionSet or inline questions, one of the two",
        "{\"collection\": \"" + collection + "\", \"questionSet\": \"none\"}", "has no question set 'none'",
        "{\"collection\": \"" + collection + "\", \"questions\": [{\"id\": \"q\"}]}", "questions[0]: ",
        "{\"collection\": \"" + collection + "\", \"questionSet\": \"smoke\", \"retrievers\": [\"guess\"]}",
        "unknown retriever 'guess'",
        "{\"collection\": \"" + collection + "\", \"questionSet\": \"smoke\", \"retrievers\": [\"hybrid+rerank\"]}",
        "retriever 'hybrid+rerank' needs a reranker, and none is configured (rag.rerank.base-url)",
        "{\"collection\": \"nowhere\", \"questionSet\": \"smoke\"}", "there is no collection 'nowhere'");
    refused.forEach((body, detail) -> given().contentType(ContentType.JSON).body(body).post("/api/eval/qa").then()
        .statusCode(400).body("detail", containsString(detail)));

    given().delete(sets + "/smoke").then().statusCode(204);
    given().delete(sets + "/smoke").then().statusCode(404);
  }
}
