package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import rag.storage.TestDatabase;
import rag.storage.opensearch.OpenSearchSettings;
import rag.storage.opensearch.TestOpenSearch;

/**
 * Two instances of the packaged service on one cluster backend (one PostgreSQL database, one OpenSearch index prefix),
 * as behind a load balancer (issue 13): what one accepts, the other lists, finds and answers from within 2 s; a
 * conversation started through one goes on through the other; a new
 * version written through one replaces the old for both, never a mix; {@code rebuild-search} rebuilds the indexes
 * while they answer; a delete through one is gone for both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagedClusterInstancesIT {
  private static final String COLLECTION = "shared";
  private static final Duration SEARCHABLE_ELSEWHERE_WITHIN = Duration.ofSeconds(2);

  private TestDatabase database;
  private OpenSearchSettings search;
  private Path home;
  private PackagedService a;
  private PackagedService b;
  private Map<String, String> properties;

  @BeforeAll
  void start() throws Exception {
    database = TestDatabase.create();
    search = TestOpenSearch.settings();
    home = Files.createTempDirectory("rag-instances");
    properties = Map.of("rag.storage.backend", "cluster",
        "rag.storage.jdbc-url", database.jdbcUrl(), "rag.storage.username", database.user(),
        "rag.storage.pool-size", "4", "rag.opensearch.urls", TestOpenSearch.urls(),
        "rag.opensearch.index-prefix", search.prefix());
    Files.createDirectories(home.resolve("a"));
    Files.createDirectories(home.resolve("b"));
    a = PackagedService.start(home.resolve("a"), properties);
    b = PackagedService.start(home.resolve("b"), properties);
  }

  @AfterAll
  void stop() throws Exception {
    try {
      for (PackagedService s : new PackagedService[] {a, b}) {
        if (s != null) {
          s.stop();
        }
      }
    } finally {
      if (database != null) {
        database.close();
        TestOpenSearch.deleteIndexes(search);
      }
      PackagedJourney.deleteTree(home);
    }
  }

  @Test
  void whatOneInstanceIngestsTheOtherFindsAnswersReplacesRebuildsAndDeletes() throws Exception {
    String jobId = upload(a, "lighthouse.txt", "The lighthouse keeper of Skerryvore polished the great lens every "
        + "morning and logged the passing ships by name.");
    JsonPath job = awaitJob(a, jobId);
    assertThat(job.getString("state")).as(job.prettify()).isEqualTo("succeeded");
    String documentId = job.getString("files[0].documentId");
    long ingested = System.nanoTime();

    // the other instance: the job (PostgreSQL), the document, and within 2 s search hits and an answer
    assertThat(on(b).get("/api/jobs/" + jobId).then().statusCode(200).extract().jsonPath().getString("state"))
        .isEqualTo("succeeded");
    on(b).get("/api/documents/" + documentId).then().statusCode(200);
    List<String> found = awaitHits(b, "Skerryvore lens", ingested);
    assertThat(found).containsExactly(documentId);
    JsonPath answer = on(b).contentType(ContentType.JSON)
        .body(Map.of("question", "What did the keeper of Skerryvore polish?", "mode", "retrieve"))
        .post("/api/collections/" + COLLECTION + "/query").then().statusCode(200).extract().jsonPath();
    assertThat(answer.getString("answerKind")).isEqualTo("extractive");
    assertThat(answer.getList("citations.documentId", String.class)).contains(documentId);

    // a conversation started through A goes on through B (conversations live in PostgreSQL)
    String conversation = chatConversationId(on(a).contentType(ContentType.JSON)
        .body(Map.of("message", "What did the keeper of Skerryvore polish?", "mode", "retrieve"))
        .post("/api/collections/" + COLLECTION + "/chat").then().statusCode(200).extract().asString());
    String followUp = on(b).contentType(ContentType.JSON).body(Map.of("conversationId", conversation,
        "message", "And what did he log?", "mode", "retrieve")).post("/api/collections/" + COLLECTION + "/chat")
        .then().statusCode(200).extract().asString();
    assertThat(followUp).contains("event: done");
    assertThat(on(a).get("/api/conversations/" + conversation).then().statusCode(200).extract().jsonPath()
        .getList("turns")).hasSize(4);

    // a new version through B: both instances find only the new wording, never the old
    JsonPath replaced = awaitJob(b, upload(b, "lighthouse.txt", "The lighthouse at Skerryvore now runs on an "
        + "automatic lamp; no keeper climbs the tower."));
    assertThat(replaced.getString("files[0].documentId")).isEqualTo(documentId);
    for (PackagedService s : List.of(a, b)) {
      assertThat(hits(s, "automatic lamp tower")).containsExactly(documentId);
      assertThat(hits(s, "polished logged passing ships")).isEmpty();
      assertThat(on(s).get("/api/documents/" + documentId).then().statusCode(200).extract().jsonPath()
          .getInt("version")).isEqualTo(2);
    }

    // the search indexes rebuilt from PostgreSQL by the one-off command while B answers: B never misses the document
    AtomicBoolean rebuilding = new AtomicBoolean(true);
    List<String> misses = new CopyOnWriteArrayList<>();
    AtomicInteger searches = new AtomicInteger();
    Thread searcher = new Thread(() -> {
      while (rebuilding.get()) {
        try {
          if (!hits(b, "automatic lamp tower").equals(List.of(documentId))) {
            misses.add("a search during the rebuild missed the document");
          }
          searches.incrementAndGet();
        } catch (RuntimeException | AssertionError e) {
          misses.add(e.toString());
        }
      }
    });
    searcher.start();
    PackagedService.CommandRun rebuilt;
    try {
      rebuilt = PackagedService.command(home.resolve("rebuild"), properties, Duration.ofMinutes(3),
          "rebuild-search");
    } finally {
      rebuilding.set(false);
      searcher.join();
    }
    assertThat(rebuilt.exit()).as(rebuilt.output()).isZero();
    assertThat(rebuilt.output()).contains("rebuilt " + search.lexicalAlias() + "-000002 from PostgreSQL");
    assertThat(misses).isEmpty();
    assertThat(searches.get()).isPositive();
    assertThat(hits(a, "automatic lamp tower")).containsExactly(documentId);

    // a delete through A is gone for B
    on(a).delete("/api/documents/" + documentId).then().statusCode(204);
    assertThat(hits(b, "Skerryvore")).isEmpty();
    on(b).get("/api/documents/" + documentId).then().statusCode(404);

    assertThat(a.errorLines()).as("ERROR lines of instance A").isEmpty();
    assertThat(b.errorLines()).as("ERROR lines of instance B").isEmpty();
  }

  /** The id in a chat answer's first server-sent event ({@code conversation}). */
  private static String chatConversationId(String events) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"conversationId\":\"([0-9a-f-]{36})\"")
        .matcher(events);
    assertThat(m.find()).as(events).isTrue();
    assertThat(events).contains("event: done");
    return m.group(1);
  }

  private static RequestSpecification on(PackagedService s) {
    return given().spec(s.http());
  }

  private static String upload(PackagedService s, String name, String text) {
    return on(s).multiPart("file", name, text.getBytes(StandardCharsets.UTF_8))
        .post("/api/collections/" + COLLECTION + "/documents").then().statusCode(202).extract().jsonPath()
        .getString("jobId");
  }

  private static JsonPath awaitJob(PackagedService s, String jobId) {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      JsonPath job = on(s).get("/api/jobs/" + jobId).then().statusCode(200).extract().jsonPath();
      String state = job.getString("state");
      if (!state.equals("queued") && !state.equals("running")) {
        return job;
      }
      assertThat(System.nanoTime()).as("job %s still %s", jobId, state).isLessThan(deadline);
      PackagedService.sleep(100);
    }
  }

  /** BM25 hits' document ids on {@code s}, polled until there are some or 2 s after {@code since} have passed. */
  private static List<String> awaitHits(PackagedService s, String query, long since) {
    while (true) {
      List<String> found = hits(s, query);
      if (!found.isEmpty()) {
        return found;
      }
      assertThat(Duration.ofNanos(System.nanoTime() - since)).as("'%s' searchable on the other instance", query)
          .isLessThan(SEARCHABLE_ELSEWHERE_WITHIN);
      PackagedService.sleep(50);
    }
  }

  private static List<String> hits(PackagedService s, String query) {
    return on(s).contentType(ContentType.JSON).body(Map.of("query", query, "retriever", "bm25", "topK", 5))
        .post("/api/collections/" + COLLECTION + "/search").then().statusCode(200).extract().jsonPath()
        .getList("results.document.id", String.class).stream().distinct().toList();
  }
}
