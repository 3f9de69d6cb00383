package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import rag.query.generate.ScriptedModelServer.Reply;
import rag.query.generate.ScriptedModelServer;

/**
 * The main journeys over HTTP against the packaged service ({@code java -jar quarkus-run.jar}), with real files: a
 * mixed upload until every good file is {@code done} with its vectors, query and plan in both modes, chat over SSE,
 * the OpenAI-compatible API and an end-to-end needle-in-a-haystack run against a scripted model server on a socket,
 * the web page, and a restart on the same data directory. The service's log must hold no ERROR line. Subclasses pick
 * the storage backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class PackagedJourney {
  static final String COLLECTION = "archive";
  private static final Path CORPORA = Path.of(System.getProperty("rag.test.corpora",
      Path.of("..", "..", "shared", "corpora").toString()));
  private static final Path BAYES = CORPORA.resolve("transcripts/3b1b--2019-bayes-theorem-english-captions.srt");
  /** The transcript's topic, in words its text holds: the shared corpus' lecture on Bayes, or the fixture on tides. */
  private static final String TRANSCRIPT_QUESTION = Files.isRegularFile(BAYES) ? "What is Bayes' theorem about?"
      : "Why are there two tides a day?";
  private static final String TRANSCRIPT_QUERY = Files.isRegularFile(BAYES) ? "Bayes theorem evidence and hypothesis"
      : "two tides a day, the Moon pulls the far side";
  private static final Path FIXTURES = Path.of("..", "ingest", "src", "test", "resources", "fixtures");
  private static final String NEEDLE_ANSWER = "eat a sandwich and sit in Dolores Park on a sunny day";

  ScriptedModelServer model;
  PackagedService service;
  private Path home;
  private Map<String, String> properties;
  private final Map<String, String> documentIds = new LinkedHashMap<>();
  private int documentCount;

  /** System properties that choose the backend. */
  abstract Map<String, String> backend();

  /** Called after the service stopped for good. */
  void dropBackend() throws Exception {}

  @BeforeAll
  void start() throws IOException {
    model = ScriptedModelServer.start();
    home = Files.createTempDirectory("rag-packaged");
    Map<String, String> properties = new HashMap<>(backend());
    properties.put("rag.models.scripted.base-url", model.baseUrl());
    properties.put("rag.models.scripted.model", ScriptedModelServer.MODEL);
    properties.put("rag.models.scripted.context-window", "65536");
    properties.put("rag.models.scripted.answer-reserve", "1024");
    properties.put("rag.models.scripted.retrieval-budget", "4096");
    properties.put("rag.models.scripted.timeout", "20s");
    this.properties = properties;
    service = PackagedService.start(home, properties);
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (service != null) {
        service.stop();
        keepLogs();
      }
    } finally {
      if (model != null) {
        model.close();
      }
      dropBackend();
      deleteTree(home);
    }
  }

  RequestSpecification http() {
    return given().spec(service.http());
  }

  /** A file of the shared corpus when this checkout has it beside it, the committed fixture otherwise. */
  static Path corpusOrFixture(String corpusPath, String fixture) {
    Path shared = CORPORA.resolve(corpusPath);
    return Files.isRegularFile(shared) ? shared : FIXTURES.resolve(fixture);
  }

  @Test
  @Order(1)
  void aMixedBatchEndsDoneWithItsVectorsAndTheCorruptFileFailsAlone() throws Exception {
    Map<String, Path> files = new LinkedHashMap<>();
    files.put("scotus.pdf", corpusOrFixture("pdfs/us-scotus-transcript-p1.pdf", "us-scotus-transcript-p1.pdf"));
    files.put("bayes.srt", Files.isRegularFile(BAYES) ? BAYES : FIXTURES.resolve("lecture-crlf-bom.srt"));
    files.put("Inventory.java", FIXTURES.resolve("Inventory.java"));
    files.put("truncated.pdf", FIXTURES.resolve("truncated-half.pdf"));
    RequestSpecification upload = http();
    files.forEach((name, path) -> upload.multiPart("file", name, readAll(path)));
    String jobId = upload.when().post("/api/collections/" + COLLECTION + "/documents").then().statusCode(202)
        .extract().jsonPath().getString("jobId");

    JsonPath job = awaitJob(jobId);
    Map<String, Map<String, Object>> byName = new HashMap<>();
    job.getList("files", Map.class).forEach(f -> byName.put((String) f.get("name"), castMap(f)));
    assertThat(byName.keySet()).as(job.prettify()).containsExactlyInAnyOrderElementsOf(files.keySet());
    for (String good : List.of("scotus.pdf", "bayes.srt", "Inventory.java")) {
      assertThat(byName.get(good).get("status")).as("%s in %s", good, job.prettify()).isEqualTo("done");
      String id = (String) byName.get(good).get("documentId");
      documentIds.put(good, id);
      JsonPath doc = http().get("/api/documents/" + id).then().statusCode(200).extract().jsonPath();
      assertThat(doc.getString("status")).isEqualTo("ready");
      assertThat(doc.getInt("chunkCount")).isPositive();
      assertThat(doc.getLong("vectorCount")).as("vectors of %s", good).isEqualTo(doc.getLong("chunkCount"));
    }
    Map<String, Object> corrupt = byName.get("truncated.pdf");
    assertThat(corrupt.get("status")).isEqualTo("failed");
    assertThat(castMap(corrupt.get("error")).get("detail").toString()).isNotBlank();
    documentCount = documentIds.size();
    http().get("/api/collections/" + COLLECTION).then().statusCode(200).body("documents", equalTo(documentCount));
  }

  @Test
  @Order(2)
  void plansAndQueriesInBothModes() {
    JsonPath stuffed = ask("/plan?includePrompt=true", Map.of("question", "Who argued the case?", "mode", "stuff"));
    assertThat(stuffed.getString("mode")).isEqualTo("stuff");
    assertThat(stuffed.getList("documents")).hasSize(documentCount);
    assertThat(stuffed.getString("prompt")).contains("<<<DOCUMENT D1", "<<<END DOCUMENT D" + documentCount);

    JsonPath retrieved = ask("/plan", Map.of("question", TRANSCRIPT_QUESTION, "mode", "retrieve"));
    assertThat(retrieved.getString("mode")).isEqualTo("retrieve");
    assertThat(retrieved.getList("chunks")).isNotEmpty();
    assertThat(bestChunksDocument(retrieved)).isEqualTo(documentIds.get("bayes.srt"));

    JsonPath extractive = ask("/query", Map.of("question", "What does the Inventory class keep?", "mode", "retrieve"));
    assertThat(extractive.getString("answerKind")).isEqualTo("extractive");
    assertThat(extractive.getList("citations.documentId", String.class)).isNotEmpty()
        .allSatisfy(id -> assertThat(documentIds).containsValue(id));

    String sentence = firstPassageSentence(stuffed.getString("prompt"));
    model.reply(Reply.tokens(sentence + " ", "[C1]"));
    JsonPath generated = ask("/query", Map.of("question", "What is on the first page?", "profile", "scripted",
        "mode", "stuff"));
    assertThat(generated.getString("answerKind")).isEqualTo("generated");
    assertThat(generated.getString("plan.mode")).isEqualTo("stuff");
    assertThat(generated.getString("answer")).isEqualTo(sentence + " [C1]");
    assertThat(generated.getString("citations[0].id")).isEqualTo("C1");
    assertThat(model.lastChatRequest().body().toString()).contains("<<<DOCUMENT D1");
  }

  @Test
  @Order(3)
  void chatStreamsServerSentEvents() throws Exception {
    model.reply(Reply.tokens("The lecture ", "explains ", "Bayes' theorem."));
    String body = http().contentType(ContentType.JSON)
        .body(Map.of("message", "What does the lecture explain?", "profile", "scripted", "mode", "retrieve"))
        .when().post("/api/collections/" + COLLECTION + "/chat").then().statusCode(200)
        .contentType(containsString("text/event-stream")).extract().asString();
    List<ChatApiTest.Event> events = ChatApiTest.events(body);
    assertThat(events).extracting(ChatApiTest.Event::name).startsWith("conversation", "token", "token", "token")
        .endsWith("plan", "done");
    String conversation = events.get(0).data().get("conversationId").asText();
    http().get("/api/conversations/" + conversation).then().statusCode(200).body(containsString("Bayes"));
  }

  @Test
  @Order(4)
  void openAiClientsChat() {
    http().get("/v1/models").then().statusCode(200).body("data.id", hasItem("scripted/" + COLLECTION));
    model.reply(Reply.tokens("An answer ", "from the model."));
    http().contentType(ContentType.JSON).body(Map.of("model", "scripted/" + COLLECTION, "messages",
            List.of(Map.of("role", "user", "content", "Who argued the case?"))))
        .when().post("/v1/chat/completions").then().statusCode(200)
        .body("object", equalTo("chat.completion"))
        .body("choices[0].message.content", equalTo("An answer from the model."));
  }

  @Test
  @Order(5)
  void anEndToEndNeedleRunAsksTheModel() throws Exception {
    model.reply(Reply.tokens("The best thing to do in San Francisco is to ", NEEDLE_ANSWER + "."));
    int before = model.requests("/v1/chat/completions").size();
    String runId = http().contentType(ContentType.JSON).body(Map.of("mode", "end-to-end", "profile", "scripted",
            "contextLengths", List.of(1500), "depthPercents", List.of(50)))
        .when().post("/api/eval/niah").then().statusCode(202).extract().jsonPath().getString("runId");
    JsonPath run = await("/api/eval/runs/" + runId, Duration.ofMinutes(3));
    assertThat(run.getString("state")).as(run.prettify()).isEqualTo("succeeded");
    assertThat(run.getList("result.cells")).hasSize(1);
    assertThat(run.getBoolean("result.cells[0].found")).as(run.prettify()).isTrue();
    assertThat(model.requests("/v1/chat/completions").size()).isGreaterThan(before);
    http().get("/api/eval/runs/" + runId + "/report.html").then().statusCode(200)
        .contentType(containsString("text/html"));
  }

  /** A routed question: retrieval first, more of the archive when the model finds no answer there. */
  @Test
  @Order(5)
  void aRoutedQueryEscalatesWhenTheModelFindsNoAnswer() {
    model.replyInTurn(Reply.tokens("UNANSWERABLE"), Reply.tokens("It is in the archive [C1]."));
    JsonPath routed = ask("/query", Map.of("question", "What is on the first page?", "profile", "scripted", "mode",
        "route"));
    assertThat(routed.getList("route.mode")).as(routed.prettify()).startsWith("retrieve").hasSizeGreaterThan(1);
    assertThat(routed.getList("route.answered", Boolean.class)).endsWith(true).startsWith(false);
    assertThat(routed.getString("answer")).isEqualTo("It is in the archive [C1].");
    assertThat(routed.getLong("tokensSpent")).isPositive();
    assertThat(routed.getString("plan.reason")).startsWith("step 2 of the route (after the model replied UNANSWERABLE");
  }

  /** A retrieval-budget sweep over the archive against the scripted model: two budgets, one question. */
  @Test
  @Order(5)
  void aBudgetSweepRunsAgainstTheModel() {
    model.reply(Reply.tokens("The case was argued in court."));
    String runId = http().contentType(ContentType.JSON).body(Map.of("collection", COLLECTION, "profile", "scripted",
            "budgets", List.of(1024, 4096), "questions", List.of(Map.of("question", "Who argued the case?",
                "answer", "argued the case"))))
        .when().post("/api/eval/budgets").then().statusCode(202).extract().jsonPath().getString("runId");
    JsonPath run = await("/api/eval/runs/" + runId, Duration.ofMinutes(3));
    assertThat(run.getString("state")).as(run.prettify()).isEqualTo("succeeded");
    assertThat(run.getList("result.points.budget", Integer.class)).containsExactly(1024, 4096);
    assertThat(run.getList("result.points.correctRate", Float.class)).containsExactly(1f, 1f);
    assertThat(run.getLong("result.best")).isEqualTo(1024);
    http().get("/api/eval/runs/" + runId + "/report.html").then().statusCode(200)
        .body(containsString("class=\"budget-chart\""));
  }

  @Test
  @Order(6)
  void theWebPageIsServed() {
    String page = http().get("/").then().statusCode(200).contentType(containsString("text/html")).extract().asString();
    List<String> scripts = new ArrayList<>();
    Matcher src = Pattern.compile("src=\"([^\"]+\\.js)\"").matcher(page);
    while (src.find()) {
      scripts.add(src.group(1));
    }
    assertThat(scripts).as("scripts of the page").isNotEmpty();
    scripts.forEach(s -> http().get(s.startsWith("/") ? s : "/" + s).then().statusCode(200));
  }

  @Test
  @Order(7)
  void searchReturnsRankedChunksWithTheirProvenance() {
    JsonPath hybrid = ask("/search", Map.of("query", TRANSCRIPT_QUERY, "topK", 5));
    assertThat(hybrid.getList("results")).hasSizeBetween(1, 5);
    assertThat(hybrid.getString("results[0].document.id")).isEqualTo(documentIds.get("bayes.srt"));
    assertThat(hybrid.getLong("results[0].startMs")).isNotNull();
    JsonPath bm25 = ask("/search", Map.of("query", "Inventory", "retriever", "bm25", "topK", 3));
    assertThat(bm25.getString("results[0].document.id")).isEqualTo(documentIds.get("Inventory.java"));
    assertThat(bm25.getInt("results[0].lineStart")).isPositive();
    JsonPath dense = ask("/search", Map.of("query", "a court hearing with lawyers and justices", "retriever", "dense",
        "topK", 3));
    assertThat(dense.getString("results[0].document.id")).isEqualTo(documentIds.get("scotus.pdf"));
    assertThat(dense.getInt("results[0].page")).isEqualTo(1);
  }

  @Test
  @Order(50)
  void aRestartKeepsDocumentsVectorsAndAnswers() {
    service.restart();
    http().get("/api/collections/" + COLLECTION).then().statusCode(200).body("documents", equalTo(documentCount));
    documentIds.forEach((name, id) -> {
      JsonPath doc = http().get("/api/documents/" + id).then().statusCode(200).extract().jsonPath();
      assertThat(doc.getString("status")).as(name).isEqualTo("ready");
      assertThat(doc.getLong("vectorCount")).as(name).isEqualTo(doc.getLong("chunkCount"));
    });
    JsonPath retrieved = ask("/plan", Map.of("question", TRANSCRIPT_QUESTION, "mode", "retrieve"));
    assertThat(bestChunksDocument(retrieved)).isEqualTo(documentIds.get("bayes.srt"));
  }

  /**
   * Issue 16: `backup <dir>` asks the running service for a backup, `restore <dir>` fills an empty data directory, and
   * a service started on it has the same documents, searches (scores included) and plans. PostgreSQL: pg_dump's job.
   */
  @Test
  @Order(55)
  void aBackupTakenWhileServingRestoresToTheSameDocumentsSearchesAndPlans() throws Exception {
    Path backup = home.resolve("backup");
    if (!backend().getOrDefault("rag.storage.backend", "embedded").equals("embedded")) {
      http().contentType(ContentType.JSON).body(Map.of("dir", backup.toString())).post("/api/admin/backup").then()
          .statusCode(400).contentType("application/problem+json").body("detail", containsString("pg_dump"));
      return;
    }
    Map<String, Object> hybrid = Map.of("query", TRANSCRIPT_QUERY, "topK", 5);
    Map<String, Object> bm25 = Map.of("query", "Inventory", "retriever", "bm25", "topK", 5);
    Map<String, Object> dense = Map.of("query", "a court hearing with lawyers and justices", "retriever", "dense",
        "topK", 5);
    Map<String, Object> plan = Map.of("question", TRANSCRIPT_QUESTION, "mode", "retrieve");
    List<Object> before = List.of(http().get("/api/collections/" + COLLECTION + "/documents").then().statusCode(200)
        .extract().jsonPath().getList("documents.id"), hits(ask("/search", hybrid)), hits(ask("/search", bm25)),
        hits(ask("/search", dense)), ask("/plan", plan).getList("chunks.chunkIds"));

    Cli backedUp = cli(List.of("-Dquarkus.http.port=" + service.port()), "backup", backup.toString());
    assertThat(backedUp.exit()).as(backedUp.output()).isZero();
    assertThat(backedUp.output()).contains("the service at http://127.0.0.1:" + service.port() + " backed up");
    assertThat(backup.resolve("manifest.json")).isRegularFile();
    Path restoredHome = home.resolve("restored");
    Cli restored = cli(List.of("-Drag.data-dir=" + restoredHome.resolve("data")), "restore", backup.toString());
    assertThat(restored.exit()).as(restored.output()).isZero();
    Cli again = cli(List.of("-Drag.data-dir=" + restoredHome.resolve("data")), "restore", backup.toString());
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.output()).contains("is not empty");

    try (PackagedService copy = PackagedService.start(restoredHome, properties)) {
      RequestSpecification other = given().spec(copy.http());
      List<Object> after = List.of(other.get("/api/collections/" + COLLECTION + "/documents").then().statusCode(200)
          .extract().jsonPath().getList("documents.id"), hits(askOn(copy, "/search", hybrid)),
          hits(askOn(copy, "/search", bm25)), hits(askOn(copy, "/search", dense)),
          askOn(copy, "/plan", plan).getList("chunks.chunkIds"));
      assertThat(after).isEqualTo(before);
      assertThat(copy.errorLines()).isEmpty();
      copy.stop();
    }
  }

  record Cli(int exit, String output) {}

  /** The packaged jar as a command (backup, restore), with these JVM options. */
  private Cli cli(List<String> jvm, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString()));
    command.addAll(jvm);
    command.add("-jar");
    command.add(PackagedService.JAR.toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).as(output).isTrue();
    return new Cli(process.exitValue(), output);
  }

  private static JsonPath askOn(PackagedService on, String path, Map<String, Object> body) {
    return given().spec(on.http()).contentType(ContentType.JSON).body(body).when()
        .post("/api/collections/" + COLLECTION + path).then().statusCode(200).extract().jsonPath();
  }

  /** Chunk ids with their scores, in rank order. */
  private static List<String> hits(JsonPath search) {
    List<String> hits = new ArrayList<>();
    List<Map<String, Object>> results = search.getList("results");
    for (Map<String, Object> r : results) {
      hits.add(r.get("chunkId") + " " + r.get("score"));
    }
    return hits;
  }

  @Test
  @Order(60)
  void deletingTheCollectionRemovesItForGood() {
    http().delete("/api/collections/" + COLLECTION).then().statusCode(204);
    http().get("/api/collections/" + COLLECTION).then().statusCode(404).contentType("application/problem+json");
    documentIds.values().forEach(id -> http().get("/api/documents/" + id).then().statusCode(404));
    http().contentType(ContentType.JSON).body(Map.of("query", "Bayes")).post("/api/collections/" + COLLECTION
        + "/search").then().statusCode(404);
    http().delete("/api/collections/" + COLLECTION).then().statusCode(404);
  }

  @Test
  @Order(99)
  void theLogHoldsNoErrorLine() {
    assertThat(service.errorLines()).as("ERROR lines of the service's logs").isEmpty();
  }

  JsonPath ask(String path, Map<String, Object> body) {
    return http().contentType(ContentType.JSON).body(body).when()
        .post("/api/collections/" + COLLECTION + path).then().statusCode(200).extract().jsonPath();
  }

  JsonPath awaitJob(String jobId) {
    return await("/api/jobs/" + jobId, Duration.ofMinutes(3));
  }

  private JsonPath await(String path, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      JsonPath state = http().get(path).then().statusCode(200).extract().jsonPath();
      String s = state.getString("state");
      if (!s.equals("queued") && !s.equals("running")) {
        return state;
      }
      assertThat(System.nanoTime()).as("%s still %s", path, s).isLessThan(deadline);
      PackagedService.sleep(200);
    }
  }

  /** The document of a retrieve plan's best-scored chunk (the plan lists its chunks in document order). */
  private static String bestChunksDocument(JsonPath plan) {
    List<Map<String, Object>> chunks = plan.getList("chunks");
    return (String) chunks.stream().max(Comparator.comparingDouble(c -> ((Number) c.get("score")).doubleValue()))
        .orElseThrow().get("documentId");
  }

  /** The first sentence after the first passage marker of a stuffed prompt: text the citation check will find. */
  private static String firstPassageSentence(String prompt) {
    int marker = prompt.indexOf("[C1 |");
    assertThat(marker).as("the prompt's first marker").isNotNegative();
    String after = prompt.substring(prompt.indexOf(']', marker) + 1).strip();
    String line = after.lines().filter(l -> l.strip().split("\\s+").length >= 4).findFirst().orElseThrow().strip();
    return line.split("\\s+").length > 12 ? String.join(" ", List.of(line.split("\\s+")).subList(0, 12)) : line;
  }

  private void keepLogs() throws IOException {
    Path target = Path.of("target", "packaged-logs", getClass().getSimpleName());
    Files.createDirectories(target);
    try (Stream<Path> logs = Files.list(home)) {
      for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
        Files.copy(log, target.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  static byte[] readAll(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }

  static void deleteTree(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
