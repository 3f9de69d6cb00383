package rag.query.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static rag.query.QueryFixture.COLLECTION;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.time.Duration;
import rag.query.QueryFixture;
import rag.query.rerank.OpenAiCompatibleScoringModel;
import rag.query.rerank.Reranker;
import rag.query.rerank.ScriptedRerankServer;
import rag.storage.Archive;
import rag.storage.embed.Embedder;
import rag.storage.model.Document;
import rag.storage.model.DocumentStatus;
import rag.storage.model.Provenance;
import rag.storage.model.SearchFilter;

/** Retrieval without generation over a real archive: SQLite catalog, Lucene BM25 and HNSW, the ONNX embedder. */
class ChunkSearchTest {
  private static final Embedder EMBEDDER = QueryFixture.embedder();
  private static final SearchFilter LIBRARY = SearchFilter.collection(COLLECTION);

  @TempDir
  Path dir;
  Archive archive;
  List<Document> docs; // pdf, vtt, code
  ChunkSearch search;
  ScriptedRerankServer reranker;

  @BeforeEach
  void setUp() {
    archive = QueryFixture.open(dir, EMBEDDER);
    docs = QueryFixture.library(archive, EMBEDDER);
    reranker = ScriptedRerankServer.start(); // so that every kind, hybrid+rerank too, is held to the same rules
    search = new ChunkSearch(new HybridRetriever(archive, EMBEDDER, 60, 0.9), archive.reader(), 100,
        new Reranker(new OpenAiCompatibleScoringModel(reranker.baseUrl(), null, null, Duration.ofSeconds(5),
            OpenAiCompatibleScoringModel.Api.COHERE), "scripted", 50, Duration.ofSeconds(5), 2000, true));
  }

  @AfterEach
  void tearDown() throws Exception {
    reranker.close();
    archive.close();
  }

  private SearchResults search(String query, RetrieverKind kind, int topK) {
    return search.search(new SearchRequest(query, LIBRARY, kind, topK));
  }

  private static List<String> sources(SearchResults results) {
    return results.hits().stream().map(h -> h.document().sourcePath()).toList();
  }

  @Test
  void bm25RanksByTermsAndGivesEachChunkItsProvenanceAndDocument() {
    SearchResults foghorn = search("foghorn", RetrieverKind.BM25, 10);
    assertThat(sources(foghorn)).containsExactly("talks/keeper.vtt");
    SearchHit hit = foghorn.hits().get(0);
    assertThat(hit.rank()).isEqualTo(1);
    assertThat(hit.score()).isPositive();
    assertThat(hit.chunk().text()).contains("The foghorn sounded every thirty seconds.");
    assertThat(hit.chunk().provenance()).isEqualTo(Provenance.times(1_000, 9_500, null));
    assertThat(hit.document().id()).isEqualTo(docs.get(1).id());
    assertThat(hit.document().title()).isEqualTo("Interview with a keeper");
    assertThat(hit.document().mediaType()).isEqualTo("text/vtt");
    assertThat(hit.document().version()).isEqualTo(1);
    assertThat(hit.bm25Rank()).isNull();
    assertThat(hit.denseRank()).isNull();
    assertThat(foghorn.documentsWithoutVectors()).as("bm25 does not use vectors").isNull();
    assertThat(foghorn.warnings()).isEmpty();

    SearchHit code = search("rotationSeconds", RetrieverKind.BM25, 10).hits().get(0);
    assertThat(code.document().sourcePath()).isEqualTo("src/Lamp.java");
    assertThat(code.chunk().provenance()).isEqualTo(Provenance.lines(1, 5, "Lamp"));

    // "France" is in both chunks of the PDF (the second repeats it as overlap); the shorter first chunk ranks first
    SearchResults france = search("France", RetrieverKind.BM25, 10);
    assertThat(france.hits()).extracting(h -> h.chunk().ordinal()).containsExactly(0, 1);
    assertThat(france.hits()).extracting(SearchHit::rank).containsExactly(1, 2);
    assertThat(france.hits().get(0).score()).isGreaterThan(france.hits().get(1).score());
    assertThat(france.hits().get(1).chunk().provenance()).isEqualTo(Provenance.pages(1, 2));
  }

  @Test
  void denseFindsAPassageByMeaningWhenNoWordIsShared() {
    String query = "When was the beacon tower constructed?";
    assertThat(search(query, RetrieverKind.BM25, 10).hits()).as("no query term is in the archive").isEmpty();
    SearchResults dense = search(query, RetrieverKind.DENSE, 10);
    assertThat(dense.hits()).hasSize(4); // kNN ranks every chunk that has a vector
    assertThat(dense.hits().get(0).chunk().text()).startsWith("The lighthouse at Point Reyes was built in 1870.");
    assertThat(dense.hits()).extracting(SearchHit::rank).containsExactly(1, 2, 3, 4);
    assertThat(dense.hits()).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
    assertThat(dense.hits().get(0).score()).as("a cosine similarity").isBetween(0.0, 1.0);
    assertThat(dense.documentsWithoutVectors()).isZero();
  }

  @Test
  void hybridFusesBothRankingsByReciprocalRankAndNamesEachRank() {
    SearchResults hybrid = search("How often did the foghorn sound?", RetrieverKind.HYBRID, 10);
    SearchHit first = hybrid.hits().get(0);
    assertThat(first.document().sourcePath()).isEqualTo("talks/keeper.vtt");
    assertThat(first.bm25Rank()).isEqualTo(1);
    assertThat(first.denseRank()).isNotNull();
    assertThat(first.score()).isCloseTo(1.0 / (60 + first.bm25Rank()) + 1.0 / (60 + first.denseRank()), within(1e-12));
    // only the transcript has "foghorn" or "sound": the others come from kNN alone
    assertThat(hybrid.hits()).hasSize(4);
    assertThat(hybrid.hits().subList(1, 4)).allSatisfy(h -> {
      assertThat(h.bm25Rank()).isNull();
      assertThat(h.score()).isCloseTo(1.0 / (60 + h.denseRank()), within(1e-12));
    });
    assertThat(hybrid.hits()).extracting(SearchHit::rank).containsExactly(1, 2, 3, 4);
  }

  @Test
  void aDocumentWithoutVectorsIsFoundByBm25AndHybridButNotByDense() {
    Document pending = QueryFixture.write(archive, "notes/gulls.txt", "text/plain", "Gulls", null, List.of(
        QueryFixture.chunk(0, "Seagulls nest on the cliffs below the lighthouse every spring.", null, 0)), null);
    assertThat(pending.status()).isEqualTo(DocumentStatus.SEARCHABLE);

    SearchResults hybrid = search("seagulls nest", RetrieverKind.HYBRID, 10);
    assertThat(hybrid.hits().get(0).document().id()).isEqualTo(pending.id());
    assertThat(hybrid.hits().get(0).bm25Rank()).isEqualTo(1);
    assertThat(hybrid.hits().get(0).denseRank()).as("it has no vector").isNull();
    assertThat(hybrid.documentsWithoutVectors()).isEqualTo(1);

    SearchResults dense = search("seagulls nest", RetrieverKind.DENSE, 10);
    assertThat(dense.hits()).hasSize(4).noneMatch(h -> h.document().id().equals(pending.id()));
    assertThat(dense.documentsWithoutVectors()).isEqualTo(1);
    assertThat(search("seagulls nest", RetrieverKind.BM25, 10).hits()).extracting(h -> h.document().id())
        .containsExactly(pending.id());

    // outside the scope it is not counted
    SearchFilter pdfOnly = new SearchFilter(COLLECTION, null, Set.of("application/pdf"), null);
    assertThat(search.search(new SearchRequest("seagulls", pdfOnly, RetrieverKind.DENSE, 10))
        .documentsWithoutVectors()).isZero();
  }

  @Test
  void onlyPublishedVersionsAreSearched() {
    Document v1 = QueryFixture.write(archive, "notes/tides.txt", "text/plain", "Tides", null, List.of(
        QueryFixture.chunk(0, "Spring tides flood the causeway twice a month.", null, 0)), EMBEDDER);
    Document v2 = QueryFixture.write(archive, "notes/tides.txt", "text/plain", "Tides", null, List.of(
        QueryFixture.chunk(0, "Neap tides leave the causeway dry.", null, 0)), EMBEDDER);
    assertThat(v2.id()).isEqualTo(v1.id());
    assertThat(v2.version()).isEqualTo(2);
    // a staged version, in the lexical index but never published
    Document staged = archive.internals().catalog().stage(Document.draft(COLLECTION, "notes/draft.txt", "text/plain", "sha-draft",
        10, "Draft", "en", null, Map.of()), List.of(QueryFixture.chunk(0, "Unpublished causeway draft.", null, 0)));
    archive.internals().lexical().add(staged, archive.reader().chunks(staged.id(), staged.version()));
    archive.internals().lexical().commit();

    for (RetrieverKind kind : RetrieverKind.values()) {
      SearchResults results = search("causeway", kind, 10);
      assertThat(results.hits()).as(kind.wireName()).noneMatch(h -> h.document().id().equals(staged.id()))
          .noneMatch(h -> h.chunk().text().contains("Spring tides"));
      assertThat(results.hits()).as(kind.wireName()).filteredOn(h -> h.document().id().equals(v1.id()))
          .singleElement().satisfies(h -> {
            assertThat(h.chunk().version()).isEqualTo(2);
            assertThat(h.document().version()).isEqualTo(2);
            assertThat(h.chunk().text()).isEqualTo("Neap tides leave the causeway dry.");
          });
    }
  }

  @Test
  void filtersNarrowEveryRetrieverToTheirScope() {
    String query = "lighthouse keeper lamp lens foghorn";
    SearchFilter pdf = new SearchFilter(COLLECTION, null, Set.of("application/pdf"), null);
    SearchFilter src = new SearchFilter(COLLECTION, null, null, "src/");
    SearchFilter vtt = new SearchFilter(COLLECTION, Set.of(docs.get(1).id()), null, null);
    for (RetrieverKind kind : RetrieverKind.values()) {
      assertThat(sources(search.search(new SearchRequest(query, pdf, kind, 10)))).as(kind.wireName())
          .containsOnly("history/lighthouse.pdf").isNotEmpty();
      assertThat(sources(search.search(new SearchRequest("Lamp rotation", src, kind, 10)))).as(kind.wireName())
          .containsExactly("src/Lamp.java");
      assertThat(sources(search.search(new SearchRequest(query, vtt, kind, 10)))).as(kind.wireName())
          .containsExactly("talks/keeper.vtt");
    }
    assertThat(search.search(new SearchRequest(query, SearchFilter.collection("elsewhere"), RetrieverKind.HYBRID, 10))
        .hits()).isEmpty();
  }

  @Test
  void topKCapsTheResultsAfterRanking() {
    for (RetrieverKind kind : RetrieverKind.values()) {
      SearchResults all = search("lighthouse lens France fog", kind, 10);
      SearchResults two = search("lighthouse lens France fog", kind, 2);
      assertThat(two.hits()).as(kind.wireName()).hasSize(2);
      assertThat(two.hits()).extracting(h -> h.chunk().id())
          .containsExactlyElementsOf(all.hits().subList(0, 2).stream().map(h -> h.chunk().id()).toList());
      assertThat(two.hits()).extracting(SearchHit::rank).containsExactly(1, 2);
    }
    assertThat(search("lighthouse", RetrieverKind.DENSE, 1).hits()).hasSize(1);
  }

  @Test
  void badRequestsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> new SearchRequest(" ", LIBRARY, null, 10)).hasMessage("the query is empty");
    assertThatThrownBy(() -> new SearchRequest(null, LIBRARY, null, 10)).hasMessage("the query is empty");
    assertThatThrownBy(() -> new SearchRequest("x".repeat(20_001), LIBRARY, null, 10))
        .hasMessage("the query has 20001 characters, at most 20000");
    assertThatThrownBy(() -> new SearchRequest("x", LIBRARY, null, 0)).hasMessage("illegal topK 0, must be in 1..200");
    assertThatThrownBy(() -> new SearchRequest("x", LIBRARY, null, 201))
        .hasMessage("illegal topK 201, must be in 1..200");
    assertThatThrownBy(() -> new SearchRequest("x", SearchFilter.all(), null, 10))
        .hasMessage("a search's scope must name a collection");
    assertThatThrownBy(() -> RetrieverKind.parse("fuzzy"))
        .hasMessage("illegal retriever 'fuzzy', must be bm25, dense, hybrid or hybrid+rerank");
    assertThatThrownBy(() -> RetrieverKind.parse("")).hasMessageContaining("illegal retriever ''");
    assertThat(RetrieverKind.parse(null)).isEqualTo(RetrieverKind.HYBRID);
    assertThat(RetrieverKind.parse(" Dense ")).isEqualTo(RetrieverKind.DENSE);
    assertThat(new SearchRequest("x", LIBRARY, null, 200).retriever()).isEqualTo(RetrieverKind.HYBRID);
  }

  @Test
  void withoutAnEmbedderHybridIsBm25AloneAndSaysSoWhileDenseIsRefused() {
    ChunkSearch bm25Only = new ChunkSearch(new HybridRetriever(archive, null, 60, 0.9), archive.reader(), 100);
    SearchResults hybrid = bm25Only.search(new SearchRequest("foghorn", LIBRARY, RetrieverKind.HYBRID, 10));
    assertThat(sources(hybrid)).containsExactly("talks/keeper.vtt");
    assertThat(hybrid.hits().get(0).bm25Rank()).isEqualTo(1);
    assertThat(hybrid.warnings()).containsExactly("no embedding model is configured: ranked by BM25 alone");
    assertThatThrownBy(() -> bm25Only.search(new SearchRequest("foghorn", LIBRARY, RetrieverKind.DENSE, 10)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("dense retrieval needs the embedding model");
  }
}
