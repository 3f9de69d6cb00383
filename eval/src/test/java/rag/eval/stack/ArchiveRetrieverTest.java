package rag.eval.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import rag.eval.beir.BeirDataset;
import rag.eval.beir.BeirLoader;
import rag.eval.beir.QueryRow;
import rag.eval.beir.RetrievalResult;
import rag.eval.beir.RetrievalRun;
import rag.eval.probe.Parts;
import rag.eval.stack.ArchiveRetriever.Kind;
import rag.ingest.chunk.Chunkers;
import rag.ingest.chunk.ChunkingConfig;

/**
 * A small BEIR set through the service's stack end to end: eight documents (one long enough for several chunks),
 * four queries with one relevant document each, one of which ("puppy") shares no word with its document.
 */
class ArchiveRetrieverTest {
  private static final BeirDataset DATASET = BeirLoader.load(folder());

  private static Path folder() {
    try {
      return Path.of(ArchiveRetrieverTest.class.getResource("/beir/stack/queries.jsonl").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Double> ndcgByQuery(RetrievalResult result) {
    return result.perQuery().stream().collect(Collectors.toMap(QueryRow::queryId, r -> r.metrics().get("ndcg@10")));
  }

  @Test
  void bm25DenseAndHybridOverTheServicesChunksAndIndexes() {
    MemoizingEmbedder embedder = new MemoizingEmbedder(Parts.embedder());
    List<ArchiveRetriever> retrievers = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      retrievers.add(new ArchiveRetriever(kind, embedder, Chunkers.byFormat(ChunkingConfig.DEFAULT, Parts.COUNTER),
          null, 60, 0.9));
    }
    List<String> progress = new ArrayList<>();
    List<RetrievalResult> results;
    try {
      results = new RetrievalRun().runAll(DATASET, List.copyOf(retrievers), (done, total) -> progress.add(done
          + "/" + total));
    } finally {
      retrievers.forEach(ArchiveRetriever::close);
    }
    assertThat(progress).hasSize(12).endsWith("12/12");
    assertThat(results).extracting(RetrievalResult::retriever).containsExactly("bm25", "dense", "hybrid");

    RetrievalResult bm25 = results.get(0);
    // every query but "puppy" has a word only its document holds; "puppy" matches nothing
    assertThat(ndcgByQuery(bm25)).containsExactlyInAnyOrderEntriesOf(Map.of("q1", 1.0, "q2", 1.0, "q3", 0.0,
        "q4", 1.0));
    assertThat(bm25.perQuery().get(2).retrieved()).isZero();
    assertThat(bm25.metrics()).containsEntry("ndcg@10", 0.75).containsEntry("recall@10", 0.75)
        .containsEntry("mrr@10", 0.75);
    // the minutes are several chunks, the tern only in the last: the document comes back once, ranked first
    assertThat(bm25.perQuery().get(1).retrieved()).isEqualTo(1);

    RetrievalResult dense = results.get(1);
    assertThat(ndcgByQuery(dense).get("q3")).as("puppy finds the dogs by meaning").isEqualTo(1.0);
    assertThat(ndcgByQuery(dense).get("q1")).isEqualTo(1.0);
    assertThat(ndcgByQuery(dense).get("q4")).isEqualTo(1.0);
    // every document comes back once, however many chunks it has
    assertThat(dense.perQuery()).allSatisfy(r -> assertThat(r.retrieved()).isEqualTo(8));
    assertThat(dense.metrics().get("recall@100")).isEqualTo(1.0);

    RetrievalResult hybrid = results.get(2);
    assertThat(ndcgByQuery(hybrid).get("q3")).isEqualTo(1.0);
    assertThat(hybrid.metrics().get("ndcg@10")).isGreaterThan(bm25.metrics().get("ndcg@10"));
    assertThat(hybrid.metrics().get("recall@10")).isEqualTo(1.0);

    assertThat(results).allSatisfy(r -> {
      assertThat(r.documents()).isEqualTo(8);
      assertThat(r.queries()).isEqualTo(4);
      assertThat(r.timings().indexMillis()).isPositive();
    });
    // dense embedded the corpus; hybrid reused the vectors through the shared embedder
    assertThat(embedder.embeddedTexts()).isBetween(10L, 14L);
  }

  @Test
  void searchingBeforeIndexingAndUnknownNamesAreRefused() {
    ArchiveRetriever retriever = new ArchiveRetriever(Kind.BM25, Parts.embedder(),
        Chunkers.byFormat(ChunkingConfig.DEFAULT, Parts.COUNTER), null, 60, 0.9);
    assertThatThrownBy(() -> retriever.search("q", 10)).hasMessage("index the corpus before searching it");
    assertThatThrownBy(() -> Kind.parse("splade")).hasMessage(
        "unknown retriever 'splade', must be bm25, dense or hybrid");
    assertThat(Kind.parse(" Hybrid ")).isEqualTo(Kind.HYBRID);
  }
}
