package rag.app.eval;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import rag.app.IngestApiTest;
import rag.app.TempDataDir;
import rag.query.generate.ScriptedModelServer;
import rag.query.generate.ScriptedModelServer.Reply;

/**
 * A retrieval-budget sweep over a collection against a scripted model that answers right only from prompts of 800 to
 * 3,000 words (too little context below, lost in the middle above): the run reports the inverted U, the best budget,
 * tokens per answer, each answer, and a chart in its report.
 */
@QuarkusTest
@WithTestResource(TempDataDir.class)
@WithTestResource(UnmeasuredModel.class)
class BudgetSweepApiTest {

  @Test
  void aSweepFindsTheBudgetWhereAccuracyPeaks() throws Exception {
    UnmeasuredModel.server.replyByPrompt(prompt -> {
      int words = ScriptedModelServer.countWords(prompt);
      return words >= 800 && words <= 3_000 ? Reply.tokens("The tides were logged at dawn [C1].")
          : Reply.tokens("I cannot tell from these excerpts.");
    });
    String collection = IngestApiTest.newCollection();
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 400; i++) {
      text.append("Entry ").append(i).append(": the harbour master logged the tides at dawn, ").append(i % 7)
          .append(" feet over the mark, and the boats left before the bell.\n");
    }
    String jobId = given().multiPart("file", "harbour.txt", text.toString().getBytes(StandardCharsets.UTF_8),
        "text/plain").when().post("/api/collections/" + collection + "/documents").then().statusCode(202)
        .extract().jsonPath().getString("jobId");
    assertThat(IngestApiTest.awaitJob(jobId).getString("state")).isEqualTo("succeeded");

    String runId = EvalApiTest.submit("/api/eval/budgets", "{\"collection\": \"" + collection + "\", \"profile\":"
        + " \"unmeasured\", \"budgets\": [8192, 512, 2048], \"questions\": [{\"question\": \"When were the tides"
        + " logged?\", \"answer\": \"at dawn\"}, {\"question\": \"What did the harbour master log?\", \"answer\":"
        + " \"the tides\"}]}");
    JsonPath run = EvalApiTest.await(runId);
    assertThat(run.getString("state")).as(run.prettify()).isEqualTo("succeeded");
    assertThat(run.getString("kind")).isEqualTo("budgets");
    assertThat(run.getInt("progress.total")).isEqualTo(6);
    assertThat(run.getList("settings.budgets", Integer.class)).containsExactly(512, 2048, 8192);
    assertThat(run.getList("result.points.budget", Integer.class)).containsExactly(512, 2048, 8192);
    assertThat(run.getList("result.points.correctRate", Float.class)).containsExactly(0f, 1f, 0f);
    assertThat(run.getLong("result.best")).isEqualTo(2048);
    List<Float> prompt = run.getList("result.points.meanPromptTokens", Float.class);
    assertThat(prompt.get(0)).isLessThan(prompt.get(1));
    assertThat(prompt.get(1)).isLessThan(prompt.get(2));
    for (int i = 0; i < 3; i++) {
      assertThat(prompt.get(i)).isLessThanOrEqualTo(List.of(512f, 2048f, 8192f).get(i));
    }
    assertThat(run.getList("result.questions")).hasSize(2);
    assertThat(run.getList("result.questions[0].attempts.answer", String.class)).containsExactly(
        "I cannot tell from these excerpts.", "The tides were logged at dawn [C1].",
        "I cannot tell from these excerpts.");
    assertThat(run.getString("summary")).startsWith("best at 2,048 tokens: mean score 1.000, 100% correct");

    Document report = EvalApiTest.report(runId);
    List<Element> points = report.select("svg.budget-chart circle.point");
    assertThat(points).extracting(p -> p.attr("data-budget")).containsExactly("512", "2048", "8192");
    assertThat(points).extracting(p -> p.attr("data-correct")).containsExactly("0.0", "1.0", "0.0");
    assertThat(report.select("[data-best]").attr("data-best")).isEqualTo("2048");
    assertThat(report.select("table.budget-table tbody tr")).hasSize(3);

    given().contentType(ContentType.JSON).body("{\"collection\": \"" + collection + "\", \"profile\": \"unmeasured\","
        + " \"budgets\": [100000], \"questions\": [{\"question\": \"q?\", \"answer\": \"a\"}]}").post("/api/eval/budgets")
        .then().statusCode(400).body("detail", containsString("illegal budget 100000, must be in 256..31744"));
    given().contentType(ContentType.JSON).body("{\"collection\": \"" + collection + "\", \"profile\": \"qwen3\","
        + " \"questions\": [{\"question\": \"q?\", \"answer\": \"a\"}]}").post("/api/eval/budgets")
        .then().statusCode(400).body("detail", containsString("profile 'qwen3' has no base URL"));
    given().contentType(ContentType.JSON).body("{\"collection\": \"nowhere\", \"profile\": \"unmeasured\","
        + " \"questions\": [{\"question\": \"q?\", \"answer\": \"a\"}]}").post("/api/eval/budgets")
        .then().statusCode(400).body("detail", containsString("there is no collection 'nowhere'"));
    given().contentType(ContentType.JSON).body("{\"collection\": \"" + collection + "\", \"profile\": \"unmeasured\","
        + " \"questions\": []}").post("/api/eval/budgets").then().statusCode(400)
        .body("detail", containsString("give 1 to 200 questions, not 0"));
  }
}
