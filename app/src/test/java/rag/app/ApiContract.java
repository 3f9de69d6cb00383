package rag.app;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import rag.app.config.RagConfig;
import rag.app.wiring.CollectionDeleter;
import rag.query.chat.ChatService;
import rag.storage.Archive;
import rag.storage.embed.Embedder;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Provenance;
import rag.storage.model.SearchFilter;
import rag.storage.vector.EmbeddedChunk;

/** The catalog API and the service endpoints, run on each backend by the subclasses. */
abstract class ApiContract {
  @Inject
  Archive archive;

  @Inject
  Embedder embedder;

  @Inject
  RagConfig config;

  @Inject
  CollectionDeleter deleter;

  @Inject
  ChatService chat;

  private Document writeDocument(String collection) {
    Document draft = Document.draft(collection, "reports/q1.pdf", "application/pdf", "abc", 1234, "Q1 report", "en",
        2, Map.of("author", "Ada"));
    return archive.write(draft, List.of(
        Chunk.draft(0, "Revenue grew in the first quarter.", 7, Provenance.pages(1, 1)),
        Chunk.draft(1, "Costs fell on page two.", 6, Provenance.pages(2, 2))));
  }

  private static String newCollection() {
    return "c-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void collectionsAreCreatedAndListedWithCounts() {
    String name = newCollection();
    given().contentType("application/json").body(Map.of("name", name))
        .when().post("/api/collections")
        .then().statusCode(201).body("name", equalTo(name)).body("documents", equalTo(0));
    given().contentType("application/json").body(Map.of("name", name))
        .when().post("/api/collections").then().statusCode(200);
    writeDocument(name);

    given().when().get("/api/collections").then().statusCode(200)
        .body("find { it.name == '" + name + "' }.documents", equalTo(1))
        .body("find { it.name == '" + name + "' }.chunks", equalTo(2))
        .body("find { it.name == '" + name + "' }.tokens", equalTo(13));
  }

  @Test
  void documentsAndChunksCarryTheirProvenance() {
    String collection = newCollection();
    Document doc = writeDocument(collection);

    given().when().get("/api/collections/" + collection + "/documents").then().statusCode(200)
        .body("total", equalTo(1))
        .body("documents[0].id", equalTo(doc.id()))
        .body("documents[0].status", equalTo("searchable"));
    given().when().get("/api/documents/" + doc.id()).then().statusCode(200)
        .body("title", equalTo("Q1 report"))
        .body("sourcePath", equalTo("reports/q1.pdf"))
        .body("sourceName", equalTo("q1.pdf"))
        .body("pageCount", equalTo(2))
        .body("metadata.author", equalTo("Ada"))
        .body("createdAt", containsString("T"));
    given().when().get("/api/documents/" + doc.id() + "/chunks").then().statusCode(200)
        .body("size()", equalTo(2))
        .body("[1].page", equalTo(2))
        .body("[1].text", equalTo("Costs fell on page two."))
        .body("[1].lineStart", nullValue());
  }

  @Test
  void deleteRemovesTheDocument() {
    Document doc = writeDocument(newCollection());
    given().when().delete("/api/documents/" + doc.id()).then().statusCode(204);
    given().when().get("/api/documents/" + doc.id()).then().statusCode(404)
        .contentType("application/problem+json")
        .body("type", equalTo("/problems/not-found"))
        .body("detail", containsString(doc.id()));
    given().when().delete("/api/documents/" + doc.id()).then().statusCode(404);
  }

  /**
   * Real files through the pipeline and a saved conversation, then DELETE: the collection, its
   * documents, their index entries and originals, and its conversations are gone; another collection
   * is untouched; the name can be used again and starts empty.
   */
  @Test
  void deletingACollectionRemovesItsDocumentsOriginalsAndConversations() throws Exception {
    String collection = newCollection();
    String other = newCollection();
    JsonPath job = IngestApiTest.awaitJob(given()
        .multiPart("file", "guide.pdf", DocumentFilesTest.pdf("The harbour was dredged in 1850.",
            "The lantern room was painted green in 1887."), "application/pdf")
        .multiPart("file", "tides.txt", "The spring tides flood the harbour wall twice a year."
            .getBytes(StandardCharsets.UTF_8), "text/plain")
        .when().post("/api/collections/" + collection + "/documents").then().statusCode(202).extract().jsonPath()
        .getString("jobId"));
    assertThat(job.getString("state")).isEqualTo("succeeded");
    List<String> ids = job.getList("files.documentId");
    assertThat(ids).hasSize(2);
    assertThat(IngestApiTest.awaitJob(given().multiPart("file", "harbour.txt",
        "The harbour master keeps the tide tables.".getBytes(StandardCharsets.UTF_8), "text/plain")
        .when().post("/api/collections/" + other + "/documents").then().statusCode(202).extract().jsonPath()
        .getString("jobId")).getString("state")).isEqualTo("succeeded");
    String answer = given().contentType(ContentType.JSON).body(Map.of("message", "When was the harbour dredged?"))
        .when().post("/api/collections/" + collection + "/chat").then().statusCode(200).extract().asString();
    assertThat(answer).contains("event: done");
    String conversationId = given().queryParam("collection", collection).when().get("/api/conversations")
        .then().statusCode(200).body("size()", equalTo(1)).extract().jsonPath().getString("[0].id");
    Path originals = config.dataDir().resolve("originals");
    for (String id : ids) {
      assertThat(originals.resolve(id)).exists();
    }
    assertThat(archive.lexicalSearch(new LexicalQuery("harbour", SearchFilter.collection(collection), 10)))
        .isNotEmpty();
    assertThat(archive.internals().vectors().versionKeys()).contains(ids.get(0) + ":1", ids.get(1) + ":1");

    given().when().delete("/api/collections/" + collection).then().statusCode(204);

    given().when().get("/api/collections/" + collection).then().statusCode(404)
        .contentType("application/problem+json").body("detail", containsString(collection));
    given().when().get("/api/collections/" + collection + "/documents").then().statusCode(404);
    given().when().get("/api/collections").then().statusCode(200)
        .body("name", not(hasItem(collection))).body("name", hasItem(other));
    given().contentType(ContentType.JSON).body(Map.of("question", "When was the harbour dredged?"))
        .when().post("/api/collections/" + collection + "/query").then().statusCode(404);
    for (String id : ids) {
      given().when().get("/api/documents/" + id).then().statusCode(404);
      given().when().get("/api/documents/" + id + "/original").then().statusCode(404);
      assertThat(originals.resolve(id)).doesNotExist();
    }
    assertThat(archive.lexicalSearch(new LexicalQuery("harbour", SearchFilter.all(), 10)))
        .extracting(h -> h.chunk().documentId()).doesNotContainAnyElementsOf(ids);
    assertThat(archive.internals().lexical().versionKeys()).doesNotContain(ids.get(0) + ":1", ids.get(1) + ":1");
    assertThat(archive.internals().vectors().versionKeys()).doesNotContain(ids.get(0) + ":1", ids.get(1) + ":1");
    assertThat(archive.pendingDeletions()).isEmpty();
    given().queryParam("collection", collection).when().get("/api/conversations").then().statusCode(200)
        .body("size()", equalTo(0));
    given().when().get("/api/conversations/" + conversationId).then().statusCode(404);
    assertThat(Files.exists(config.dataDir().resolve("conversations").resolve(conversationId + ".jsonl"))).isFalse();
    given().when().get("/api/collections/" + other).then().statusCode(200).body("documents", equalTo(1));

    given().when().delete("/api/collections/" + collection).then().statusCode(404)
        .contentType("application/problem+json").body("type", equalTo("/problems/not-found"))
        .body("detail", containsString(collection));
    given().when().delete("/api/collections/bad..name!").then().statusCode(400)
        .contentType("application/problem+json").body("detail", containsString("illegal collection name"));

    // the name is free again, and a new collection under it starts empty
    given().contentType(ContentType.JSON).body(Map.of("name", collection)).when().post("/api/collections")
        .then().statusCode(201).body("documents", equalTo(0));
    given().contentType(ContentType.JSON).body(Map.of("question", "When was the harbour dredged?", "mode", "retrieve"))
        .when().post("/api/collections/" + collection + "/query").then().statusCode(200)
        .body("citations.size()", equalTo(0));
  }

  /** The deleting transaction committed, then the service died: the collection is gone, its leftovers go at start. */
  @Test
  void aDeletionInterruptedAfterItsTransactionIsFinishedAtTheNextStart() throws Exception {
    String collection = newCollection();
    String documentId = IngestApiTest.awaitJob(given().multiPart("file", "notes.txt",
        "Notes about the breakwater.".getBytes(StandardCharsets.UTF_8), "text/plain")
        .when().post("/api/collections/" + collection + "/documents").then().statusCode(202).extract().jsonPath()
        .getString("jobId")).getString("files[0].documentId");
    String conversationId = chat.store().create(collection, "qwen3", "breakwater").id();
    Path original = config.dataDir().resolve("originals").resolve(documentId);
    assertThat(original).exists();

    archive.internals().catalog().deleteCollection(collection).orElseThrow();
    given().when().get("/api/collections/" + collection).then().statusCode(404);
    assertThat(archive.pendingDeletions()).extracting(d -> d.collection()).contains(collection);

    deleter.finishPending(); // what the next start runs, after Archive.reconcile()
    assertThat(original).doesNotExist();
    assertThat(chat.store().find(conversationId)).isEmpty();
    assertThat(archive.pendingDeletions()).isEmpty();
    assertThat(archive.internals().lexical().versionKeys()).doesNotContain(documentId + ":1");
    assertThat(archive.internals().vectors().versionKeys()).doesNotContain(documentId + ":1");
    given().when().delete("/api/collections/" + collection).then().statusCode(404);
  }

  @Test
  void errorsAreProblemDetailsWithoutStackTraces() {
    given().when().get("/api/collections/no-such-collection/documents").then().statusCode(404)
        .contentType("application/problem+json").body("status", equalTo(404))
        .body("title", equalTo("Resource not found"));
    String collection = newCollection();
    archive.internals().catalog().ensureCollection(collection);
    given().when().get("/api/collections/" + collection + "/documents?limit=5000").then().statusCode(400)
        .contentType("application/problem+json").body("detail", equalTo("illegal limit 5000, must be in 1..1000"));
    given().when().get("/api/collections/" + collection + "/documents?offset=abc").then().statusCode(400)
        .contentType("application/problem+json").body("detail", equalTo("a parameter has an illegal value: For input"
            + " string: \"abc\""));
    given().contentType("application/json").body(Map.of("name", "../etc"))
        .when().post("/api/collections").then().statusCode(400).contentType("application/problem+json")
        .body("detail", containsString("illegal collection name"));
    given().contentType("application/json").body("{not json")
        .when().post("/api/collections").then().statusCode(400).contentType("application/problem+json")
        .body(not(containsString("Exception")));
    given().when().get("/api/nowhere").then().statusCode(404).contentType("application/problem+json");
  }

  @Test
  void optimizeCompactsTheIndexesAndSearchesStillWork() {
    String collection = newCollection();
    writeDocument(collection);
    given().when().post("/api/admin/optimize").then().statusCode(200)
        .body("result", containsString("lexical: merged")).body("seconds", notNullValue());
    assertThat(archive.lexicalSearch(new LexicalQuery("revenue quarter",
        SearchFilter.collection(collection), 5))).hasSize(1);
  }

  @Test
  void searchRanksPublishedChunksWithEachRetrieverOnThisBackend() {
    String collection = newCollection();
    Document report = writeDocument(collection);
    List<Chunk> stored = archive.reader().chunks(report.id());
    List<float[]> vectors = embedder.embed(stored.stream().map(Chunk::text).toList());
    archive.addVectors(report, List.of(new EmbeddedChunk(stored.get(0), vectors.get(0)),
        new EmbeddedChunk(stored.get(1), vectors.get(1))));
    Document memo = archive.write(Document.draft(collection, "notes/memo.txt", "text/plain", "def", 40, null, "en",
        null, Map.of()), List.of(Chunk.draft(0, "Revenue forecasts are in this memo.", 7, null))); // no vectors yet
    String search = "/api/collections/" + collection + "/search";

    given().contentType("application/json").body(Map.of("query", "revenue", "retriever", "bm25")).when().post(search)
        .then().statusCode(200).body("results.document.id", containsInAnyOrder(report.id(), memo.id()))
        .body("results.find { it.document.id == '" + report.id() + "' }.page", equalTo(1))
        .body("results.find { it.document.id == '" + report.id() + "' }.document.title", equalTo("Q1 report"))
        .body("documentsWithoutVectors", nullValue());
    given().contentType("application/json").body(Map.of("query", "revenue", "retriever", "dense")).when().post(search)
        .then().statusCode(200).body("results.document.id", contains(report.id(), report.id()))
        .body("results.page", containsInAnyOrder(1, 2)).body("documentsWithoutVectors", equalTo(1));
    given().contentType("application/json").body(Map.of("query", "revenue")).when().post(search)
        .then().statusCode(200).body("retriever", equalTo("hybrid")).body("results.size()", equalTo(3))
        .body("results.find { it.document.id == '" + memo.id() + "' }.bm25Rank", notNullValue())
        .body("results.find { it.document.id == '" + memo.id() + "' }.denseRank", nullValue())
        .body("documentsWithoutVectors", equalTo(1));
    given().contentType("application/json").body(Map.of("query", "revenue", "filters", Map.of("mediaTypes",
        List.of("text/plain")))).when().post(search).then().statusCode(200)
        .body("results.document.sourcePath", contains("notes/memo.txt"));
  }

  @Test
  void healthOpenApiAndMetricsAreServed() {
    given().when().get("/q/health/ready").then().statusCode(200)
        .body("status", equalTo("UP")).body("checks.name", hasItem("stores"));
    given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/documents/{id}/chunks"));
    given().when().get("/q/swagger-ui/").then().statusCode(200);
    given().when().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
  }
}
