package rag.query.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static rag.query.QueryFixture.COLLECTION;

import dev.langchain4j.data.segment.TextSegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.query.QueryFixture;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.query.plan.PlanRequest;
import rag.query.plan.Planner;
import rag.query.plan.PlannerSettings;
import rag.query.rerank.OpenAiCompatibleScoringModel.Api;
import rag.query.rerank.ScriptedRerankServer.Reply;
import rag.query.retrieve.ChunkSearch;
import rag.query.retrieve.HybridRetriever;
import rag.query.retrieve.RetrieverKind;
import rag.query.retrieve.SearchHit;
import rag.query.retrieve.SearchRequest;
import rag.query.retrieve.SearchResults;
import rag.storage.Archive;
import rag.storage.embed.Embedder;
import rag.storage.model.SearchFilter;
import rag.storage.problem.InvalidInputException;

/**
 * Reranking against a rerank server on a real socket (both request shapes), over a real archive: the fused top N
 * reordered by the server's relevance, the rest behind in fused order, and every failure (HTTP error, garbage, missing
 * scores, a stall) leaving the fused order in place with the reason, within the timeout.
 */
class RerankerIT {
  private static final Embedder EMBEDDER = QueryFixture.embedder();
  private static final SearchFilter LIBRARY = SearchFilter.collection(COLLECTION);
  private static final Duration TIMEOUT = Duration.ofMillis(400);

  @TempDir
  Path dir;
  Archive archive;
  HybridRetriever hybrid;
  ScriptedRerankServer server;

  @BeforeEach
  void setUp() {
    archive = QueryFixture.open(dir, EMBEDDER);
    QueryFixture.library(archive, EMBEDDER);
    hybrid = new HybridRetriever(archive, EMBEDDER, 60, 0.9);
    server = ScriptedRerankServer.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    archive.close();
  }

  private Reranker reranker(int topN, boolean forAnswers) {
    return new Reranker(new OpenAiCompatibleScoringModel(server.baseUrl() + "/v1", "bge-reranker", "secret", TIMEOUT,
        Api.COHERE), "bge-reranker", topN, TIMEOUT, 2000, forAnswers);
  }

  private SearchResults search(ChunkSearch search, String query, RetrieverKind kind) {
    return search.search(new SearchRequest(query, LIBRARY, kind, 10));
  }

  @Test
  void scoresComeBackInTheOrderOfTheSegmentsInEitherShape() {
    List<TextSegment> segments = List.of(TextSegment.from("the lamp turns"), TextSegment.from("fog and lamp oil"),
        TextSegment.from("nothing here"));
    for (Api api : Api.values()) {
      OpenAiCompatibleScoringModel model = new OpenAiCompatibleScoringModel(server.baseUrl(), "m", "secret", TIMEOUT,
          api);
      assertThat(model.scoreAll(segments, "fog lamp").content()).as(api.name()).containsExactly(0.5, 1.0, 0.0);
    }
    assertThat(server.requests()).extracting(ScriptedRerankServer.RecordedRequest::field)
        .containsExactly("documents", "texts");
    ScriptedRerankServer.RecordedRequest first = server.requests().get(0);
    assertThat(first.model()).isEqualTo("m");
    assertThat(first.query()).isEqualTo("fog lamp");
    assertThat(first.documents()).containsExactly("the lamp turns", "fog and lamp oil", "nothing here");
    assertThat(first.authorization()).isEqualTo("Bearer secret");
  }

  @Test
  void answersThatCannotBeUsedAreErrorsThatSayWhy() {
    OpenAiCompatibleScoringModel model = new OpenAiCompatibleScoringModel(server.baseUrl(), null, null, TIMEOUT,
        Api.COHERE);
    List<TextSegment> two = List.of(TextSegment.from("a"), TextSegment.from("b"));
    server.script(Reply.error(500, "{\"error\": \"CUDA out of memory\"}"), Reply.error(200, "<html>proxy</html>"),
        Reply.error(200, "{\"results\": [{\"index\": 0, \"relevance_score\": 0.5}]}"),
        Reply.error(200, "{\"results\": [{\"index\": 0, \"relevance_score\": 0.5}, {\"index\": 7,"
            + " \"relevance_score\": 0.1}]}"),
        Reply.error(200, "{\"object\": \"error\"}"), Reply.delayed(Duration.ofSeconds(3)));
    assertThatThrownBy(() -> model.scoreAll(two, "q")).isInstanceOf(RerankException.class)
        .hasMessage("the rerank server answered HTTP 500: {\"error\": \"CUDA out of memory\"}");
    assertThatThrownBy(() -> model.scoreAll(two, "q")).hasMessage("the rerank server's answer is not JSON:"
        + " <html>proxy</html>");
    assertThatThrownBy(() -> model.scoreAll(two, "q")).hasMessage("the rerank server scored 1 of the 2 documents"
        + " sent");
    assertThatThrownBy(() -> model.scoreAll(two, "q")).hasMessage("the rerank server's answer names document 7 out"
        + " of range or twice (2 sent)");
    assertThatThrownBy(() -> model.scoreAll(two, "q")).hasMessage("the rerank server's answer has no results:"
        + " {\"object\": \"error\"}");
    long start = System.nanoTime();
    assertThatThrownBy(() -> model.scoreAll(two, "q")).hasMessage("the rerank server did not answer within 400 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    assertThat(model.scoreAll(two, "b").content()).as("the next call works").containsExactly(0.0, 0.0);
  }

  @Test
  void hybridPlusRerankOrdersTheFusedTopNByRelevanceAndLeavesTheRestInFusedOrder() {
    ChunkSearch search = new ChunkSearch(hybrid, archive.reader(), 100, reranker(2, true));
    String query = "the foghorn sounded for two hours";
    List<SearchHit> fused = search(search, query, RetrieverKind.HYBRID).hits();
    assertThat(fused).hasSizeGreaterThan(2);

    SearchResults reranked = search(search, query, RetrieverKind.HYBRID_RERANK);
    List<SearchHit> head = new ArrayList<>(fused.subList(0, 2));
    head.sort(Comparator.comparingDouble((SearchHit h) -> ScriptedRerankServer.relevance(query, h.chunk().text()))
        .reversed());
    List<String> expected = new ArrayList<>(head.stream().map(h -> h.chunk().id()).toList());
    fused.subList(2, fused.size()).forEach(h -> expected.add(h.chunk().id()));
    assertThat(expected).as("the query is one the reranker reorders")
        .isNotEqualTo(fused.stream().map(h -> h.chunk().id()).toList());
    assertThat(reranked.hits()).extracting(h -> h.chunk().id()).containsExactlyElementsOf(expected);
    assertThat(reranked.hits().get(0).score()).as("the reranker's relevance")
        .isEqualTo(ScriptedRerankServer.relevance(query, reranked.hits().get(0).chunk().text()));
    assertThat(reranked.hits().get(0).bm25Rank()).as("fused ranks are kept").isNotNull();
    assertThat(reranked.warnings()).isEmpty();
    ScriptedRerankServer.RecordedRequest sent = server.requests().get(0);
    assertThat(sent.documents()).as("only the top N are sent").containsExactly(fused.get(0).chunk().text(),
        fused.get(1).chunk().text());
    assertThat(sent.query()).isEqualTo(query);
  }

  @Test
  void aFailingOrStallingRerankerLeavesTheFusedOrderAndSaysWhy() {
    ChunkSearch search = new ChunkSearch(hybrid, archive.reader(), 100, reranker(50, true));
    String query = "foghorn at dusk";
    List<String> fused = search(search, query, RetrieverKind.HYBRID).hits().stream().map(h -> h.chunk().id())
        .toList();

    server.script(Reply.error(503, "{\"error\": \"loading model\"}"));
    SearchResults failed = search(search, query, RetrieverKind.HYBRID_RERANK);
    assertThat(failed.hits()).extracting(h -> h.chunk().id()).containsExactlyElementsOf(fused);
    assertThat(failed.warnings()).containsExactly("the reranker bge-reranker failed (the rerank server answered HTTP"
        + " 503: {\"error\": \"loading model\"}): fused order kept");

    server.script(Reply.delayed(Duration.ofSeconds(3)));
    long start = System.nanoTime();
    SearchResults stalled = search(search, query, RetrieverKind.HYBRID_RERANK);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by the timeout")
        .isLessThan(Duration.ofMillis(2500));
    assertThat(stalled.hits()).extracting(h -> h.chunk().id()).containsExactlyElementsOf(fused);
    assertThat(stalled.warnings()).singleElement().asString().contains("400 ms").endsWith("fused order kept");

    assertThat(search(search, query, RetrieverKind.HYBRID_RERANK).warnings()).as("the next search reranks").isEmpty();
  }

  @Test
  void withoutARerankerHybridPlusRerankIsRefused() {
    ChunkSearch search = new ChunkSearch(hybrid, archive.reader(), 100);
    assertThat(search.canRerank()).isFalse();
    assertThatThrownBy(() -> search(search, "fog", RetrieverKind.HYBRID_RERANK))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("hybrid+rerank needs a reranker, and none is configured (rag.rerank.base-url)");
    assertThat(RetrieverKind.parse(" Hybrid+Rerank ")).isEqualTo(RetrieverKind.HYBRID_RERANK);
    assertThat(RetrieverKind.HYBRID_RERANK.wireName()).isEqualTo("hybrid+rerank");
  }

  @Test
  void answersPackTheRerankedCandidatesAndThePlanSaysHowTheyWereOrdered() {
    String query = "the foghorn sounded for two hours";
    PlanRequest request = new PlanRequest(query, LIBRARY, Mode.RETRIEVE, 1);
    Plan fusedPlan = planner(Reranker.none()).plan(request, QueryFixture.profile(32_768, 1024, 4096));
    assertThat(fusedPlan.rerank()).isNull();

    Plan plan = planner(reranker(50, true)).plan(request, QueryFixture.profile(32_768, 1024, 4096));
    assertThat(plan.rerank()).matches("the fused top \\d+ reranked by bge-reranker in \\d+ ms");
    assertThat(plan.reason()).contains("; " + plan.rerank());
    String best = server.requests().get(0).documents().stream()
        .max(Comparator.comparingDouble(d -> ScriptedRerankServer.relevance(query, d))).orElseThrow();
    assertThat(plan.passages()).singleElement().satisfies(p -> assertThat(best).contains(p.text()));
    assertThat(plan.passages()).as("not the fused best").isNotEqualTo(fusedPlan.passages());

    server.script(Reply.error(500, "{}"));
    Plan fallback = planner(reranker(50, true)).plan(request, QueryFixture.profile(32_768, 1024, 4096));
    assertThat(fallback.rerank()).isEqualTo("the reranker bge-reranker failed (the rerank server answered HTTP 500:"
        + " {}): fused order kept");
    assertThat(fallback.passages()).isEqualTo(fusedPlan.passages());

    int before = server.requests().size();
    Plan searchOnly = planner(reranker(50, false)).plan(request, QueryFixture.profile(32_768, 1024, 4096));
    assertThat(searchOnly.rerank()).as("rag.rerank.answers=false").isNull();
    assertThat(server.requests()).hasSize(before);
  }

  private Planner planner(Reranker reranker) {
    return Planner.builder(archive.reader(), QueryFixture.COUNTER).retriever(hybrid)
        .settings(PlannerSettings.DEFAULT).reranker(reranker).build();
  }
}
