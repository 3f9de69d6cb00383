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

import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import rag.storage.Archive;
import rag.storage.embed.Embedder;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Provenance;
import rag.storage.vector.EmbeddedChunk;

/** The catalog API and the service endpoints, run on each backend by the subclasses. */
abstract class ApiContract {
  @Inject
  Archive archive;

  @Inject
  Embedder embedder;

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

  @Test
  void errorsAreProblemDetailsWithoutStackTraces() {
    given().when().get("/api/collections/no-such-collection/documents").then().statusCode(404)
        .contentType("application/problem+json").body("status", equalTo(404))
        .body("title", equalTo("Resource not found"));
    String collection = newCollection();
    archive.catalog().ensureCollection(collection);
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
    assertThat(archive.lexicalSearch(new rag.storage.lexical.LexicalQuery("revenue quarter",
        rag.storage.model.SearchFilter.collection(collection), 5))).hasSize(1);
  }

  @Test
  void searchRanksPublishedChunksWithEachRetrieverOnThisBackend() {
    String collection = newCollection();
    Document report = writeDocument(collection);
    List<Chunk> stored = archive.catalog().chunks(report.id());
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
