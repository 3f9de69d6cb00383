package rag.app.eval;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import rag.app.IngestApiTest;
import rag.app.TempDataDir;
import rag.query.generate.ScriptedModelServer;
import rag.query.generate.ScriptedModelServer.Reply;

/**
 * The effective length measured by an end-to-end NIAH run against a model that answers wrongly past a length: the run
 * records it, GET /api/profiles shows it with the run, and plans of that profile keep below it, citing the run.
 */
@QuarkusTest
@WithTestResource(TempDataDir.class)
@WithTestResource(UnmeasuredModel.class)
class EffectiveContextApiTest {
  private static final String ANSWER = "eat a sandwich and sit in Dolores Park on a sunny day";
  /** The scripted model answers from prompts up to this many words, and wrongly beyond. */
  private static final int FAILS_PAST_WORDS = 1_500;

  @Test
  void anEndToEndRunMeasuresTheEffectiveLengthAndPlansCiteIt() throws Exception {
    UnmeasuredModel.server.replyByPrompt(prompt -> ScriptedModelServer.countWords(prompt) <= FAILS_PAST_WORDS
        ? Reply.tokens("The best thing to do in San Francisco is to ", ANSWER + ".")
        : Reply.tokens("The best thing to do is to visit the Golden Gate Bridge."));
    JsonPath before = given().get("/api/profiles").then().statusCode(200).extract().jsonPath();
    assertThat(before.getMap("profiles.find { it.name == 'unmeasured' }")).containsEntry("effectiveContext", null)
        .containsEntry("measuredEffectiveContext", null);

    String runId = EvalApiTest.submit("/api/eval/niah", "{\"mode\": \"end-to-end\", \"profile\": \"unmeasured\","
        + " \"contextLengths\": [1000, 3000], \"depthPercents\": [50]}");
    JsonPath run = EvalApiTest.await(runId);
    assertThat(run.getString("state")).as(run.prettify()).isEqualTo("succeeded");
    assertThat(run.getList("result.cells.found")).as(run.prettify()).containsExactly(true, false);
    assertThat(run.getLong("result.effectiveLength.tokens")).isEqualTo(1000);
    assertThat(run.getBoolean("result.effectiveLength.atLeast")).isFalse();
    assertThat(run.getInt("result.effectiveLength.firstFailing")).isEqualTo(3000);
    Document report = EvalApiTest.report(runId);
    assertThat(report.select("table.settings tr:contains(Effective length) td").text())
        .startsWith("1K (3K scored under 85% of the shortest's");

    JsonPath profiles = given().get("/api/profiles").then().statusCode(200).extract().jsonPath();
    Map<String, Object> measured = profiles.getMap("profiles.find { it.name == 'unmeasured' }.measuredEffectiveContext");
    assertThat(measured).containsEntry("tokens", 1000).containsEntry("atLeast", false)
        .containsEntry("firstFailing", 3000).containsEntry("applied", true).containsEntry("runId", runId)
        .containsEntry("variant", "single");

    String collection = IngestApiTest.newCollection();
    String text = "The harbour master logged the tides at dawn and the boats left before the bell. ".repeat(120);
    String jobId = given().multiPart("file", "log.txt", text.getBytes(StandardCharsets.UTF_8), "text/plain")
        .when().post("/api/collections/" + collection + "/documents").then().statusCode(202).extract().jsonPath()
        .getString("jobId");
    assertThat(IngestApiTest.awaitJob(jobId).getString("state")).isEqualTo("succeeded");
    for (String mode : new String[] {"auto", "route"}) {
      JsonPath plan = given().contentType(ContentType.JSON).body(Map.of("question", "When were the tides logged?",
          "profile", "unmeasured", "mode", mode)).when().post("/api/collections/" + collection + "/plan").then()
          .statusCode(200).extract().jsonPath();
      assertThat(plan.getString("mode")).as(mode).isEqualTo("retrieve");
      assertThat(plan.getString("reason")).as(mode).contains("retrieval up to the model's effective context of 1,000"
          + " tokens, measured by end-to-end NIAH run " + runId);
      assertThat(plan.getLong("budget")).as(mode).isEqualTo(1000);
      assertThat(plan.getLong("promptTokens")).as(mode).isLessThanOrEqualTo(1000);
    }
  }
}
