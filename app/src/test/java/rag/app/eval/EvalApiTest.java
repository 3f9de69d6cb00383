package rag.app.eval;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The evaluation API through the real stack (Lucene, SQLite, MiniLM), small grids and a small BEIR set. */
@QuarkusTest
@TestProfile(EvalTestProfile.class)
public class EvalApiTest {

  public static JsonPath await(String runId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (true) {
      JsonPath run = given().get("/api/eval/runs/" + runId).then().statusCode(200).extract().jsonPath();
      if (!run.getString("state").equals("queued") && !run.getString("state").equals("running")) {
        return run;
      }
      assertThat(System.nanoTime()).as("run %s still %s", runId, run.getString("state")).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  public static String submit(String path, String body) {
    Response accepted = given().contentType(ContentType.JSON).body(body).post(path);
    accepted.then().statusCode(202).body("state", equalTo("queued")).body("runId", matchesPattern("\\d{8}-\\d{6}-[0-9a-f]{6}"));
    String runId = accepted.jsonPath().getString("runId");
    assertThat(accepted.header("Location")).endsWith("/api/eval/runs/" + runId);
    return runId;
  }

  static Document report(String runId) {
    String html = given().get("/api/eval/runs/" + runId + "/report.html").then().statusCode(200)
        .contentType(startsWith("text/html")).extract().asString();
    return Jsoup.parse(html);
  }

  @Test
  void aRetrieveGridRunsEndToEndAndItsReportHoldsEveryCell() throws Exception {
    String runId = submit("/api/eval/niah", "{\"mode\": \"retrieve\", \"contextLengths\": [8000, 2000],"
        + " \"depthPercents\": [0, 50, 100]}");
    JsonPath run = await(runId);
    assertThat(run.getString("state")).as(run.prettify()).isEqualTo("succeeded");
    assertThat(run.getInt("progress.done")).isEqualTo(6);
    assertThat(run.getInt("progress.total")).isEqualTo(6);
    assertThat(run.getString("report")).isEqualTo("/api/eval/runs/" + runId + "/report.html");
    assertThat(run.getList("settings.contextLengths", Integer.class)).containsExactly(2000, 8000);
    assertThat(run.getString("settings.profile")).isEqualTo("qwen3");
    assertThat(run.getString("result.kind")).isEqualTo("niah");
    assertThat(run.getString("result.haystack")).isEqualTo("moby-dick-1-20");
    assertThat(run.getString("result.embeddingModel")).isEqualTo("all-minilm-l6-v2-q");
    assertThat(run.getString("result.profile.name")).isEqualTo("qwen3");
    List<Map<String, Object>> cells = run.getList("result.cells");
    assertThat(cells).hasSize(6);
    assertThat(cells).extracting(c -> c.get("contextLength")).containsExactly(2000, 2000, 2000, 8000, 8000, 8000);
    assertThat(cells.get(0).keySet()).contains("contextLength", "depthPercent", "found", "rank", "score", "detail");
    // the whole 8K haystack fits qwen3's 32K retrieval budget: every needle is packed
    assertThat(cells).allSatisfy(c -> {
      assertThat(c.get("found")).isEqualTo(true);
      assertThat(c.get("rank")).isNotNull();
    });
    assertThat(run.getDouble("result.summary.foundRate")).isEqualTo(1.0);
    assertThat(run.getList("result.summary.byLength")).hasSize(2);

    Document html = report(runId);
    List<Element> tds = html.select("table.heatmap td.cell");
    assertThat(tds).hasSize(6);
    for (Map<String, Object> cell : cells) {
      Element td = html.selectFirst("table.heatmap td.cell[data-length=" + cell.get("contextLength")
          + "][data-depth=" + ((Number) cell.get("depthPercent")).doubleValue() + "]");
      assertThat(td).as("cell %s", cell).isNotNull();
      assertThat(Double.parseDouble(td.attr("data-score"))).isEqualTo(((Number) cell.get("score")).doubleValue());
      assertThat(td.attr("data-found")).isEqualTo("true");
      assertThat(td.attr("data-rank")).isEqualTo(cell.get("rank").toString());
      assertThat(td.attr("title")).isEqualTo(cell.get("detail"));
    }
    assertThat(html.select("#settings th").eachText()).contains("Run", "Profile", "Model", "Embedding model",
        "Index", "Timings");
    assertThat(html.select("script")).isEmpty();
  }

  @Test
  void aStuffGridChecksDepthAndSeparators() throws Exception {
    String runId = submit("/api/eval/niah", "{\"mode\": \"stuff\", \"profile\": \"llama4-scout\","
        + " \"contextLengths\": [1500, 6000], \"depthPercents\": [0, 100], \"variant\": \"multi-key\","
        + " \"distractors\": 2}");
    JsonPath run = await(runId);
    assertThat(run.getString("state")).as(run.prettify()).isEqualTo("succeeded");
    List<Map<String, Object>> cells = run.getList("result.cells");
    assertThat(cells).hasSize(4).allSatisfy(c -> {
      assertThat(c.get("found")).as(c.toString()).isEqualTo(true);
      assertThat((String) c.get("detail")).contains("separators intact");
    });
    assertThat(run.getList("result.needles")).hasSize(3);
    assertThat(run.getString("result.embeddingModel")).isNull();
    assertThat(report(runId).select("table.heatmap td.cell[data-found=true]")).hasSize(4);
  }

  @Test
  void aSmallBeirSetThroughBm25DenseAndHybrid() throws Exception {
    String runId = submit("/api/eval/retrieval", "{\"datasetPath\": \""
        + EvalTestProfile.ALLOWED.resolve("stack") + "\"}");
    JsonPath run = await(runId);
    assertThat(run.getString("state")).as(run.prettify()).isEqualTo("succeeded");
    assertThat(run.getList("settings.retrievers")).containsExactly("bm25", "dense", "hybrid");
    assertThat(run.getInt("settings.k")).isEqualTo(100);
    assertThat(run.getInt("progress.done")).isEqualTo(12);
    Map<String, Map<String, Double>> metrics = run.getMap("result.metrics");
    assertThat(metrics.keySet()).containsExactly("bm25", "dense", "hybrid");
    metrics.values().forEach(m -> assertThat(m.keySet()).containsExactly("ndcg@10", "recall@10", "recall@100",
        "mrr@10"));
    // three of the four queries share a word only with their document; "puppy" shares none
    assertThat(run.getDouble("result.metrics.bm25['ndcg@10']")).isEqualTo(0.75);
    assertThat(run.getDouble("result.metrics.hybrid['recall@10']")).isEqualTo(1.0);
    assertThat(run.getList("result.perQuery.dense")).hasSize(4);
    assertThat(run.getLong("result.timings.dense.indexMillis")).isPositive();
    assertThat(run.getString("summary")).startsWith("nDCG@10: bm25 0.7500");
    Document html = report(runId);
    assertThat(html.select("table.metrics tbody tr").eachAttr("data-retriever")).containsExactly("bm25", "dense",
        "hybrid");
    assertThat(html.selectFirst("table.metrics tr[data-retriever=bm25] td[data-metric=ndcg@10]").attr("data-value"))
        .isEqualTo("0.75");
  }

  @Test
  void badSettingsAreRefusedWithAPreciseProblem() {
    Map<String, String> bad = Map.ofEntries(
        Map.entry("{\"profile\": \"gpt-9\"}", "there is no model profile 'gpt-9'"),
        Map.entry("{\"mode\": \"guess\"}", "illegal mode 'guess', must be retrieve, stuff or end-to-end"),
        Map.entry("{\"mode\": \"end-to-end\"}", "mode end-to-end needs a model, and profile 'qwen3' has no base URL"),
        Map.entry("{\"contextLengths\": [1000, 300000]}", "illegal contextLengths[1] 300000, must be in 256..200000"),
        Map.entry("{\"depthPercents\": [50, 101]}", "illegal depthPercents[1] 101.0, must be in 0..100"),
        Map.entry("{\"needles\": [\"The code is 7.\"]}", "needles need a question"),
        Map.entry("{\"variant\": \"multi-key\", \"needles\": [\"x\"]}", "variant multi-key generates its needles"),
        Map.entry("{\"haystackPath\": \"/tmp\", \"collection\": \"c\"}", "give haystackPath or collection, not both"),
        Map.entry("{\"collection\": \"nothing-here\"}", "there is no collection 'nothing-here'"),
        Map.entry("{\"contextLenghts\": [1000]}", "unknown field 'contextLenghts'; the fields are answers, collection,"
            + " contextLengths, depthPercents"),
        Map.entry("{\"contextLengths\": [\"long\"]}", "illegal value of contextLengths[0]: Cannot deserialize"),
        Map.entry("[1000]", "expected a JSON object, got array"),
        Map.entry("{\"contextLengths\": [1000, 2000, 3000], \"depthPercents\": " + depths(200) + "}",
            "the grid has 3 x 200 = 600 cells, at most 400"));
    bad.forEach((body, detail) -> given().contentType(ContentType.JSON).body(body).post("/api/eval/niah").then()
        .statusCode(400).contentType("application/problem+json").body("type", equalTo("/problems/bad-request"))
        .body("detail", startsWith(detail)));

    given().contentType(ContentType.JSON).body("{\"haystackPath\": \"/etc\"}").post("/api/eval/niah").then()
        .statusCode(403).contentType("application/problem+json").body("type", equalTo("/problems/forbidden-path"))
        .body("detail", startsWith("'/etc' is not under an allowed root"));
    given().contentType(ContentType.JSON).body("{\"datasetPath\": \"" + EvalTestProfile.ROOT + "\"}")
        .post("/api/eval/retrieval").then().statusCode(403);
    given().contentType(ContentType.JSON).body("{}").post("/api/eval/retrieval").then().statusCode(400)
        .body("detail", startsWith("send {\"datasetPath\""));
    given().contentType(ContentType.JSON).body("{\"datasetPath\": \"" + EvalTestProfile.ALLOWED + "\"}")
        .post("/api/eval/retrieval").then().statusCode(400).body("detail", equalTo("datasetPath '"
            + EvalTestProfile.ALLOWED + "' is not in the BEIR layout: queries.jsonl is missing"));
    given().contentType(ContentType.JSON).body("{\"datasetPath\": \"" + EvalTestProfile.ALLOWED.resolve("stack")
        + "\", \"retrievers\": [\"bm25\", \"splade\"]}").post("/api/eval/retrieval").then().statusCode(400)
        .body("detail", equalTo("unknown retriever 'splade', must be bm25, dense or hybrid"));
    given().contentType(ContentType.JSON).body("{\"datasetPath\": \"" + EvalTestProfile.ALLOWED.resolve("stack")
        + "\", \"k\": 5}").post("/api/eval/retrieval").then().statusCode(400)
        .body("detail", equalTo("illegal k 5, must be in 10..1000"));

    given().get("/api/eval/runs/20990101-000000-ffffff").then().statusCode(404)
        .contentType("application/problem+json");
    given().get("/api/eval/runs/..%2F..%2Fetc").then().statusCode(404);
    given().get("/api/eval/runs/20990101-000000-ffffff/report.html").then().statusCode(404);
  }

  private static String depths(int n) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "" : ", ").append(i * 0.5);
    }
    return s.append(']').toString();
  }

  @Test
  void runsLeftByAnEarlierServiceAreFailedOrQueuedAgainAndAllAreListed() throws Exception {
    JsonPath interrupted = given().get("/api/eval/runs/" + EvalTestProfile.INTERRUPTED_RUN).then().statusCode(200)
        .extract().jsonPath();
    assertThat(interrupted.getString("state")).isEqualTo("failed");
    assertThat(interrupted.getString("error")).isEqualTo("interrupted by a restart");
    JsonPath requeued = await(EvalTestProfile.QUEUED_RUN);
    assertThat(requeued.getString("state")).as(requeued.prettify()).isEqualTo("succeeded");
    assertThat(requeued.getList("result.cells")).hasSize(2);

    List<String> ids = given().get("/api/eval/runs").then().statusCode(200).extract().jsonPath()
        .getList("runs.runId");
    assertThat(ids).contains(EvalTestProfile.INTERRUPTED_RUN, EvalTestProfile.QUEUED_RUN);
    assertThat(ids).isSortedAccordingTo(Comparator.reverseOrder());
  }

  @Test
  void theOpenApiDescriptionDocumentsSettingsAndResults() {
    JsonPath openapi = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
        .jsonPath();
    assertThat(openapi.getMap("paths").keySet()).contains("/api/eval/niah", "/api/eval/retrieval", "/api/eval/runs",
        "/api/eval/runs/{runId}", "/api/eval/runs/{runId}/report.html");
    Map<String, Object> niah = openapi.getMap("components.schemas.NiahRequest.properties");
    assertThat(niah.keySet()).contains("haystackPath", "collection", "profile", "mode", "contextLengths",
        "depthPercents", "needles", "question", "variant");
    assertThat(openapi.getMap("components.schemas.RetrievalRequest.properties").keySet()).contains("datasetPath",
        "retrievers", "k");
    assertThat(openapi.getMap("components.schemas.NiahCell.properties").keySet()).contains("contextLength",
        "depthPercent", "found", "rank", "score");
    assertThat(openapi.getMap("components.schemas.RetrievalResult.properties").keySet()).contains("metrics",
        "perQuery", "timings");
    assertThat(openapi.getMap("components.schemas.EvalRun.properties").keySet()).contains("runId", "state",
        "progress", "error");
  }
}
