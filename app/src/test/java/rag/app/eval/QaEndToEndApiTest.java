package rag.app.eval;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.Test;
import rag.app.IngestApiTest;
import rag.app.TempDataDir;
import rag.query.generate.ScriptedModelServer.Reply;

/**
 * A retrieval-accuracy run that also asks a (scripted) model: its answers checked against the expected answers and its
 * citations against the expected passages, over a real subtitle file.
 */
@QuarkusTest
@WithTestResource(TempDataDir.class)
@WithTestResource(UnmeasuredModel.class)
class QaEndToEndApiTest {
  private static final Path FIXTURES = Path.of("..", "ingest", "src", "test", "resources", "fixtures");

  @Test
  void answersAndTheirCitationsAreChecked() throws Exception {
    String collection = IngestApiTest.newCollection();
    String jobId = given().multiPart("file", FIXTURES.resolve("lecture-crlf-bom.srt").toFile())
        .when().post("/api/collections/" + collection + "/documents").then().statusCode(202).extract().jsonPath()
        .getString("jobId");
    assertThat(IngestApiTest.awaitJob(jobId).getString("state")).isEqualTo("succeeded");
    UnmeasuredModel.server.reply(Reply.tokens("Because the Moon pulls ", "the far side too [C1]."));

    String runId = EvalApiTest.submit("/api/eval/qa", "{\"collection\": \"" + collection + "\", \"profile\":"
        + " \"unmeasured\", \"endToEnd\": true, \"retrievers\": [\"hybrid\"], \"questions\": ["
        + "{\"id\": \"why\", \"question\": \"Why are there two tides a day?\", \"expected\": [{\"source\":"
        + " \"lecture-crlf-bom.srt\", \"timeMs\": [9200, 12000]}], \"answer\": \"the Moon pulls the far side\"},"
        + "{\"id\": \"who\", \"question\": \"Who greets the audience?\", \"expected\": [{\"source\":"
        + " \"lecture-crlf-bom.srt\", \"text\": \"Good morning, everyone\"}], \"answer\": \"John\"},"
        + "{\"id\": \"open\", \"question\": \"What is the short answer?\", \"expected\": [{\"source\":"
        + " \"other.srt\"}]}]}");
    JsonPath run = EvalApiTest.await(runId);
    assertThat(run.getString("state")).as(run.prettify()).isEqualTo("succeeded");
    assertThat(run.getInt("progress.total")).isEqualTo(6);
    assertThat(run.getString("result.endToEnd.profile")).isEqualTo("unmeasured");
    assertThat(run.getList("result.endToEnd.answers.correct")).containsExactly(true, false, null);
    assertThat(run.getInt("result.endToEnd.answered")).as("questions with an expected answer").isEqualTo(2);
    assertThat(run.getFloat("result.endToEnd.answerAccuracy")).isEqualTo(0.5f);
    // [C1] is the transcript's passage: it covers the 9.2-12 s cue and holds the greeting, but is not other.srt
    assertThat(run.getList("result.endToEnd.answers.citesPassage")).containsExactly(true, true, false);
    assertThat(run.getFloat("result.endToEnd.citationAccuracy")).isCloseTo(2 / 3f,
        org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(run.getList("result.endToEnd.answers.tokensSpent", Integer.class)).allSatisfy(t ->
        assertThat(t).isPositive());
    assertThat(EvalApiTest.report(runId).select("p.end-to-end").attr("data-answer-accuracy")).isEqualTo("0.5");

    // a judge model grades instead of word matching: the same server, answering the judge's prompts with a score
    UnmeasuredModel.server.replyByPrompt(prompt -> !prompt.contains("Score (1 to 10):")
        ? Reply.tokens("Because the Moon pulls ", "the far side too [C1].")
        : Reply.tokens(prompt.contains("Reference answer: John") ? "2" : "9"));
    String judged = EvalApiTest.submit("/api/eval/qa", "{\"collection\": \"" + collection + "\", \"profile\":"
        + " \"unmeasured\", \"endToEnd\": true, \"judgeProfile\": \"unmeasured\", \"retrievers\": [\"bm25\"],"
        + " \"questions\": [{\"id\": \"why\", \"question\": \"Why are there two tides a day?\", \"expected\":"
        + " [{\"source\": \"lecture-crlf-bom.srt\"}], \"answer\": \"because of the Moon\"}, {\"id\": \"who\","
        + " \"question\": \"Who greets the audience?\", \"expected\": [{\"source\": \"lecture-crlf-bom.srt\"}],"
        + " \"answer\": \"John\"}]}");
    JsonPath judgedRun = EvalApiTest.await(judged);
    assertThat(judgedRun.getString("state")).as(judgedRun.prettify()).isEqualTo("succeeded");
    assertThat(judgedRun.getString("result.endToEnd.judge")).isEqualTo("unmeasured (scripted-model)");
    assertThat(judgedRun.getList("result.endToEnd.answers.score", Float.class)).containsExactly(0.9f, 0.2f);
    assertThat(judgedRun.getList("result.endToEnd.answers.correct")).containsExactly(true, false);
    assertThat(judgedRun.getList("result.endToEnd.answers.judged")).containsExactly("9", "2");
    given().contentType(ContentType.JSON).body("{\"collection\": \"" + collection + "\", \"judgeProfile\":"
        + " \"unmeasured\", \"questions\": [{\"id\": \"q\", \"question\": \"?\", \"expected\": [{\"source\":"
        + " \"a\"}]}]}").post("/api/eval/qa").then().statusCode(400)
        .body("detail", containsString("judgeProfile grades a model's answers: it needs endToEnd: true"));

    given().contentType(ContentType.JSON).body("{\"collection\": \"" + collection + "\", \"endToEnd\": true,"
        + " \"questions\": [{\"id\": \"q\", \"question\": \"?\", \"expected\": [{\"source\": \"a\"}]}]}")
        .post("/api/eval/qa").then().statusCode(400)
        .body("detail", containsString("endToEnd asks a model, and profile 'qwen3' has no base URL"));
  }

  /**
   * The model drafts a set from the collection's chunks: each question marked drafted, its expected passage the
   * chunk's time range or line range, a reply that is not JSON skipped with the reason; the set is stored with the
   * collection and a run can use it at once; the name cannot be drafted into twice.
   */
  @Test
  void questionsAreDraftedFromTheCollectionMarkedAndStored() throws Exception {
    String collection = IngestApiTest.newCollection();
    String jobId = given().multiPart("file", FIXTURES.resolve("lecture-crlf-bom.srt").toFile())
        .multiPart("file", FIXTURES.resolve("Inventory.java").toFile())
        .when().post("/api/collections/" + collection + "/documents").then().statusCode(202).extract().jsonPath()
        .getString("jobId");
    assertThat(IngestApiTest.awaitJob(jobId).getString("state")).isEqualTo("succeeded");
    UnmeasuredModel.server.replyByPrompt(prompt -> prompt.contains("class Inventory")
        ? Reply.tokens("{\"question\": \"What does adding a non-positive count throw?\", ",
            "\"answer\": \"IllegalArgumentException\"}")
        : prompt.contains("Moon") ? Reply.tokens("```json\n{\"question\": \"Why are there two tides a day?\",",
            " \"answer\": \"the Moon pulls the far side too\"}\n```")
        : Reply.tokens("Sorry, I cannot write a question about this."));

    String runId = EvalApiTest.submit("/api/eval/draft", "{\"collection\": \"" + collection + "\", \"name\":"
        + " \"drafted\", \"profile\": \"unmeasured\", \"questions\": 2, \"seed\": 7}");
    JsonPath run = EvalApiTest.await(runId);
    assertThat(run.getString("state")).as(run.prettify()).isEqualTo("succeeded");
    assertThat(run.getString("kind")).isEqualTo("draft");
    List<Map<String, Object>> drafted = run.getList("result.questions");
    assertThat(drafted).isNotEmpty().allSatisfy(q -> assertThat(q.get("drafted")).isEqualTo(true));
    assertThat(run.getList("result.questions.question", String.class)).isSubsetOf(
        "What does adding a non-positive count throw?", "Why are there two tides a day?");
    for (int i = 0; i < drafted.size(); i++) {
      String source = run.getString("result.questions[" + i + "].expected[0].source");
      assertThat(source).isIn("lecture-crlf-bom.srt", "Inventory.java");
      assertThat((Object) run.get("result.questions[" + i + "].expected[0]." + (source.endsWith(".srt") ? "timeFrom"
          : "lineFrom"))).as("the chunk's place").isNotNull();
    }
    assertThat(drafted.size() + run.getList("result.skipped").size()).as("each chunk tried gave a question or a"
        + " reason").isGreaterThanOrEqualTo(2);
    run.getList("result.skipped", String.class).forEach(reason -> assertThat(reason)
        .contains("the reply is not the JSON asked for: Sorry, I cannot write a question about this."));
    assertThat(EvalApiTest.report(runId).select("table.drafted tr[data-question]")).hasSize(drafted.size());

    String sets = "/api/collections/" + collection + "/question-sets";
    assertThat(given().get(sets).then().statusCode(200).extract().jsonPath().getList("name")).contains("drafted");
    String lines = given().get(sets + "/drafted").then().statusCode(200).extract().asString();
    assertThat(lines.strip().split("\n")).hasSize(drafted.size()).allSatisfy(l -> assertThat(l)
        .contains("\"drafted\":true"));

    String qa = EvalApiTest.submit("/api/eval/qa", "{\"collection\": \"" + collection + "\", \"questionSet\":"
        + " \"drafted\", \"retrievers\": [\"bm25\"]}");
    JsonPath qaRun = EvalApiTest.await(qa);
    assertThat(qaRun.getString("state")).as(qaRun.prettify()).isEqualTo("succeeded");
    assertThat(qaRun.getInt("result.questionCount")).isEqualTo(drafted.size());

    given().contentType(ContentType.JSON).body("{\"collection\": \"" + collection + "\", \"name\": \"drafted\","
        + " \"profile\": \"unmeasured\"}").post("/api/eval/draft").then().statusCode(409)
        .contentType("application/problem+json").body("detail", containsString("already has a question set"));
    given().contentType(ContentType.JSON).body("{\"collection\": \"" + collection + "\", \"name\": \"other\"}")
        .post("/api/eval/draft").then().statusCode(400)
        .body("detail", containsString("drafting asks a model, and profile 'qwen3' has no base URL"));
    given().contentType(ContentType.JSON).body("{\"collection\": \"" + collection + "\", \"name\": \"../x\","
        + " \"profile\": \"unmeasured\"}").post("/api/eval/draft").then().statusCode(400)
        .body("detail", containsString("illegal set name '../x'"));
  }
}
