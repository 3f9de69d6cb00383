package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import rag.storage.Archive;
import rag.storage.model.Chunk;
import rag.storage.model.Document;

/**
 * Retrieval without generation over HTTP, through the real pipeline: files uploaded and ingested (Tika, chunkers,
 * Lucene BM25 and HNSW, ONNX embeddings) until every one is {@code done}, then searched by each retriever.
 */
@QuarkusTest
@WithTestResource(TempDataDir.class)
class SearchApiTest {
  private static final String TRANSCRIPT = """
      WEBVTT

      00:00:01.000 --> 00:00:04.000
      <v Alice>We trimmed the wicks at dusk, every evening.

      00:00:04.500 --> 00:00:09.000
      <v Alice>The foghorn sounded every thirty seconds in the fog.
      """;
  private static final String CODE = """
      package harbor;

      /** The rotating optic of the lighthouse. */
      public class Lamp {
        /** Seconds per turn. */
        int rotationSeconds() {
          return 5;
        }
      }
      """;
  private static final String PAGE = """
      <html><head><title>The lamp room</title></head>
      <body><h1>Lamp room</h1><p>The brass lantern sits above the watch room, behind storm panes.</p></body></html>
      """;
  private static final String TIDES = "Spring tides flood the causeway twice a month. Neap tides leave it dry.";

  private static String collection;
  private static Map<String, String> ids; // source path -> document id

  @Inject
  Archive archive;

  @BeforeEach
  void ingestOnce() throws Exception {
    if (collection != null) {
      return;
    }
    collection = IngestApiTest.newCollection();
    byte[] pdf = DocumentFilesTest.pdf("The lighthouse at Point Reyes was built in 1870. Its lens came from France.",
        "Fog covers the headland for many days each summer. Keepers wound the clockwork every two hours.");
    Map<String, String> found = new HashMap<>();
    found.putAll(upload(given().multiPart("file", "lighthouse.pdf", pdf, "application/pdf")
        .multiPart("file", "keeper.vtt", TRANSCRIPT.getBytes(StandardCharsets.UTF_8), "text/vtt")
        .multiPart("file", "Lamp.java", CODE.getBytes(StandardCharsets.UTF_8), "text/x-java-source")
        .multiPart("file", "lamp-room.html", PAGE.getBytes(StandardCharsets.UTF_8), "text/html")
        .multiPart("path", "archive/")));
    found.putAll(upload(given().multiPart("file", "tides.txt", TIDES.getBytes(StandardCharsets.UTF_8), "text/plain")
        .multiPart("path", "notes/")));
    ids = found;
  }

  /** Uploads, waits for the job and requires every file done (embedded); source path to document id. */
  private Map<String, String> upload(RequestSpecification request) throws Exception {
    String jobId = request.when().post("/api/collections/" + collection + "/documents").then().statusCode(202)
        .extract().jsonPath().getString("jobId");
    JsonPath job = IngestApiTest.awaitJob(jobId);
    assertThat(job.getString("state")).isEqualTo("succeeded");
    List<Map<String, Object>> files = job.getList("files");
    Map<String, String> byPath = new HashMap<>();
    for (Map<String, Object> f : files) {
      assertThat(f.get("status")).as("%s", f).isEqualTo("done");
      byPath.put((String) f.get("sourcePath"), (String) f.get("documentId"));
    }
    return byPath;
  }

  private static ValidatableResponse search(String in, Object body) {
    return given().contentType(ContentType.JSON).body(body).when()
        .post("/api/collections/" + in + "/search").then();
  }

  private static JsonPath ok(Map<String, Object> body) {
    return search(collection, body).statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
  }

  private static Map<String, Object> body(Object... keysAndValues) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      body.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return body;
  }

  @Test
  void bm25RanksByTermsAndEachResultCarriesItsProvenanceAndDocument() {
    JsonPath foghorn = ok(body("query", "foghorn", "retriever", "bm25"));
    assertThat(foghorn.getString("query")).isEqualTo("foghorn");
    assertThat(foghorn.getString("retriever")).isEqualTo("bm25");
    assertThat(foghorn.getInt("topK")).isEqualTo(10);
    assertThat(foghorn.getList("results")).hasSize(1);
    assertThat(foghorn.getMap("")).doesNotContainKey("documentsWithoutVectors");
    assertThat(foghorn.getList("warnings")).isEmpty();
    Map<String, Object> vtt = foghorn.getMap("results[0]");
    assertThat(vtt).containsEntry("rank", 1).containsEntry("startMs", 1000).containsEntry("endMs", 9000)
        .containsEntry("speaker", "Alice").containsEntry("ordinal", 0)
        .doesNotContainKeys("page", "lineStart", "bm25Rank", "denseRank");
    assertThat((String) vtt.get("text")).contains("The foghorn sounded every thirty seconds");
    assertThat(((Number) vtt.get("score")).doubleValue()).isPositive();
    assertThat((Integer) vtt.get("tokens")).isPositive();
    assertThat(foghorn.getMap("results[0].document")).containsEntry("id", ids.get("archive/keeper.vtt"))
        .containsEntry("sourcePath", "archive/keeper.vtt").containsEntry("sourceName", "keeper.vtt")
        .containsEntry("mediaType", "text/vtt").containsEntry("version", 1).containsEntry("status", "ready");
    given().when().get("/api/documents/" + ids.get("archive/keeper.vtt") + "/chunks").then().statusCode(200)
        .body("[0].id", equalTo(vtt.get("chunkId")));

    JsonPath code = ok(body("query", "rotationSeconds", "retriever", "bm25"));
    assertThat(code.getString("results[0].document.sourcePath")).isEqualTo("archive/Lamp.java");
    assertThat(code.getInt("results[0].lineStart")).isEqualTo(1);
    assertThat(code.getInt("results[0].lineEnd")).isEqualTo(9);
    assertThat(code.getString("results[0].section")).contains("Lamp");

    JsonPath pdf = ok(body("query", "clockwork headland", "retriever", "bm25"));
    assertThat(pdf.getString("results[0].document.sourcePath")).isEqualTo("archive/lighthouse.pdf");
    assertThat(pdf.getString("results[0].document.mediaType")).isEqualTo("application/pdf");
    assertThat(pdf.getInt("results[0].page")).isEqualTo(1);
    assertThat(pdf.getInt("results[0].pageEnd")).isEqualTo(2);

    JsonPath html = ok(body("query", "brass lantern", "retriever", "bm25"));
    assertThat(html.getString("results[0].document.title")).isEqualTo("The lamp room");
  }

  @Test
  void denseFindsByMeaningWhatBm25CannotAndHybridFusesBoth() {
    String paraphrase = "ocean water levels rising and falling"; // no word of it is in the archive
    assertThat(ok(body("query", paraphrase, "retriever", "bm25")).getList("results")).isEmpty();
    JsonPath dense = ok(body("query", paraphrase, "retriever", "dense"));
    assertThat(dense.getList("results")).hasSize(5); // kNN ranks every chunk; each document is one chunk
    assertThat(dense.getString("results[0].document.sourcePath")).isEqualTo("notes/tides.txt");
    assertThat(dense.getList("results.rank")).containsExactly(1, 2, 3, 4, 5);
    List<Float> scores = dense.getList("results.score", Float.class);
    assertThat(scores).isSortedAccordingTo((a, b) -> Float.compare(b, a));
    assertThat(dense.getInt("documentsWithoutVectors")).isZero();
    assertThat(dense.getMap("results[0]")).doesNotContainKeys("bm25Rank", "denseRank");

    JsonPath hybrid = ok(body("query", "How often did the foghorn sound?")); // hybrid is the default
    assertThat(hybrid.getString("retriever")).isEqualTo("hybrid");
    assertThat(hybrid.getString("results[0].document.sourcePath")).isEqualTo("archive/keeper.vtt");
    assertThat(hybrid.getInt("results[0].bm25Rank")).isEqualTo(1);
    assertThat(hybrid.getInt("results[0].denseRank")).isPositive();
    List<Map<String, Object>> results = hybrid.getList("results");
    assertThat(results).hasSize(5);
    // score fusion (the default): each list's scores min-max scaled over the 100 candidates it gave, summed
    Map<String, Double> bm25 = scaled(ok(body("query", "How often did the foghorn sound?", "retriever", "bm25",
        "topK", 100)));
    Map<String, Double> knn = scaled(ok(body("query", "How often did the foghorn sound?", "retriever", "dense",
        "topK", 100)));
    for (Map<String, Object> r : results) {
      double expected = bm25.getOrDefault((String) r.get("chunkId"), 0.0)
          + knn.getOrDefault((String) r.get("chunkId"), 0.0);
      assertThat(((Number) r.get("score")).doubleValue()).as("%s", r)
          .isCloseTo(expected, Assertions.within(1e-5));
    }
    assertThat(((Number) results.get(0).get("score")).doubleValue()).as("first in both lists").isEqualTo(2.0);
    assertThat(results).as("found by kNN alone").anySatisfy(r -> assertThat(r).doesNotContainKey("bm25Rank"));
  }

  /** A ranking's scores by chunk, min-max scaled to 0..1 as score fusion scales them (JsonPath reads floats). */
  private static Map<String, Double> scaled(JsonPath ranking) {
    List<Map<String, Object>> results = ranking.getList("results");
    double min = results.stream().mapToDouble(r -> ((Number) r.get("score")).doubleValue()).min().orElse(0);
    double max = results.stream().mapToDouble(r -> ((Number) r.get("score")).doubleValue()).max().orElse(0);
    Map<String, Double> scaled = new java.util.HashMap<>();
    for (Map<String, Object> r : results) {
      double score = ((Number) r.get("score")).doubleValue();
      scaled.put((String) r.get("chunkId"), max > min ? (score - min) / (max - min) : 1);
    }
    return scaled;
  }

  @Test
  void filtersNarrowTheScopeAsTheyDoForQuestions() {
    String query = "lighthouse lantern foghorn tides";
    for (String retriever : List.of("bm25", "dense", "hybrid")) {
      assertThat(ok(body("query", query, "retriever", retriever, "filters", Map.of("mediaTypes",
          List.of("application/pdf")))).getList("results.document.sourcePath")).as(retriever)
          .containsExactly("archive/lighthouse.pdf");
      assertThat(ok(body("query", query, "retriever", retriever, "filters", Map.of("pathPrefix", "notes/")))
          .getList("results.document.sourcePath")).as(retriever).containsExactly("notes/tides.txt");
      assertThat(ok(body("query", query, "retriever", retriever, "filters", Map.of("documentIds",
          List.of(ids.get("archive/keeper.vtt"), ids.get("archive/lamp-room.html")))))
          .getList("results.document.sourcePath", String.class)).as(retriever)
          .containsExactlyInAnyOrder("archive/keeper.vtt", "archive/lamp-room.html");
    }
    assertThat(ok(body("query", query, "filters", Map.of("pathPrefix", "archive/", "mediaTypes", List.of("text/vtt"))))
        .getList("results.document.sourcePath")).containsExactly("archive/keeper.vtt");
  }

  @Test
  void topKBoundsTheResults() {
    JsonPath two = ok(body("query", "lighthouse lamp", "topK", 2));
    assertThat(two.getInt("topK")).isEqualTo(2);
    assertThat(two.getList("results.rank")).containsExactly(1, 2);
    JsonPath all = ok(body("query", "lighthouse lamp", "topK", 200));
    assertThat(all.getList("results")).hasSize(5);
    assertThat(all.getList("results.chunkId").subList(0, 2)).isEqualTo(two.getList("results.chunkId"));
    assertThat(ok(body("query", "lighthouse lamp", "retriever", "dense", "topK", 1)).getList("results")).hasSize(1);
  }

  @Test
  void aDocumentWithoutVectorsIsFoundByHybridButNotByDenseAndTheResponseSaysSo() {
    String pending = IngestApiTest.newCollection();
    archive.internals().catalog().ensureCollection(pending);
    Document gulls = archive.write(Document.draft(pending, "notes/gulls.txt", "text/plain", "sha-gulls", 60, "Gulls",
        "en", null, Map.of()), List.of(Chunk.draft(0, "Seagulls nest on the cliffs below the lighthouse.", 10, null)));

    JsonPath hybrid = search(pending, body("query", "seagulls nest")).statusCode(200).extract().jsonPath();
    assertThat(hybrid.getString("results[0].document.id")).isEqualTo(gulls.id());
    assertThat(hybrid.getString("results[0].document.status")).isEqualTo("searchable");
    assertThat(hybrid.getInt("results[0].bm25Rank")).isEqualTo(1);
    assertThat(hybrid.getMap("results[0]")).doesNotContainKey("denseRank");
    assertThat(hybrid.getInt("documentsWithoutVectors")).isEqualTo(1);

    JsonPath dense = search(pending, body("query", "seagulls nest", "retriever", "dense")).statusCode(200).extract()
        .jsonPath();
    assertThat(dense.getList("results")).isEmpty();
    assertThat(dense.getInt("documentsWithoutVectors")).isEqualTo(1);
  }

  @Test
  void badRequestsAreProblemDetailsNamingTheField() {
    Map<Object, String> bad = new LinkedHashMap<>();
    bad.put(body("query", ""), "the request needs a non-empty \"query\"");
    bad.put(body("query", "   "), "the request needs a non-empty \"query\"");
    bad.put(body("retriever", "bm25"), "the request needs a non-empty \"query\"");
    bad.put("null", "the request needs a non-empty \"query\"");
    bad.put(body("query", "x".repeat(20_001)), "the query has 20001 characters, at most 20000");
    bad.put(body("query", "x", "retriever", "fuzzy"), "illegal retriever 'fuzzy', must be bm25, dense, hybrid or hybrid+rerank");
    bad.put(body("query", "x", "retriever", ""), "illegal retriever '', must be bm25, dense, hybrid or hybrid+rerank");
    bad.put(body("query", "x", "retriever", "hybrid+rerank"),
        "hybrid+rerank needs a reranker, and none is configured (rag.rerank.base-url)");
    bad.put(body("query", "x", "topK", 0), "illegal topK 0, must be in 1..200");
    bad.put(body("query", "x", "topK", 201), "illegal topK 201, must be in 1..200");
    bad.put(body("query", "x", "topK", "ten"), "illegal value of topK: Cannot deserialize value of type `Integer`");
    bad.put(body("question", "x"), "unknown field 'question'; the fields are filters, query, retriever, topK");
    bad.put(body("query", "x", "filters", Map.of("path", "a/")),
        "unknown field 'filters.path'; the fields are documentIds, mediaTypes, pathPrefix");
    bad.put(body("query", "x", "filters", Map.of("mediaTypes", "application/pdf")),
        "illegal value of filters.mediaTypes");
    bad.put("{\"query\": \"x\", \"filters\": {\"documentIds\": [null]}}",
        "illegal filters.documentIds: null is not a value");
    bad.put("[\"x\"]", "expected a JSON object, got array");
    bad.forEach((body, detail) -> search(collection, body).statusCode(400).contentType("application/problem+json")
        .body("type", equalTo("/problems/bad-request")).body("status", equalTo(400))
        .body("detail", Matchers.startsWith(detail))
        .body("instance", equalTo("/api/collections/" + collection + "/search")));

    search(collection, "{not json").statusCode(400).contentType("application/problem+json")
        .body("type", equalTo("/problems/bad-request"));
    search("no-such-collection", body("query", "x")).statusCode(404).contentType("application/problem+json")
        .body("type", equalTo("/problems/not-found")).body("detail", containsString("no-such-collection"));
    search("bad..name!", body("query", "x")).statusCode(400).contentType("application/problem+json");
    given().contentType(ContentType.TEXT).body("foghorn").when().post("/api/collections/" + collection + "/search")
        .then().statusCode(415).contentType("application/problem+json");
  }

  @Test
  void theEndpointIsDescribedInOpenApi() {
    given().when().get("/q/openapi").then().statusCode(200)
        .body(containsString("/api/collections/{collection}/search"))
        .body(containsString("SearchResponse")).body(containsString("documentsWithoutVectors"));
  }
}
