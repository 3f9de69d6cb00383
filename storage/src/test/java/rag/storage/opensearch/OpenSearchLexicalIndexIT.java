package rag.storage.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import rag.storage.catalog.StorageException;
import rag.storage.catalog.TransientStorageException;
import rag.storage.lexical.Bm25Params;
import rag.storage.lexical.LexicalIndex;
import rag.storage.lexical.LexicalIndexContract;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.Document;
import rag.storage.model.Hit;
import rag.storage.model.SearchFilter;

/** BM25 on the real OpenSearch cluster: the engine contract, and what a cluster adds (stale chunks, dead nodes). */
class OpenSearchLexicalIndexIT extends LexicalIndexContract {
  private final OpenSearchSettings settings = TestOpenSearch.settings();
  private final OpenSearchClient client = new OpenSearchClient(settings);

  @Override
  protected LexicalIndex open() {
    return new OpenSearchLexicalIndex(client, settings, Bm25Params.DEFAULT);
  }

  @AfterEach
  void dropIndex() {
    ((OpenSearchLexicalIndex) index).drop();
  }

  @Test
  void theIndexSitsBehindAnAliasWithTheConfiguredShardsAndReplicas() {
    var aliases = client.call("GET", "/_alias/" + settings.lexicalAlias(), null);
    assertThat(aliases.has(IndexAlias.generation(settings.lexicalAlias(), 1))).isTrue();
    var indexSettings = client.call("GET", "/" + settings.lexicalAlias() + "/_settings", null)
        .path(IndexAlias.generation(settings.lexicalAlias(), 1)).path("settings").path("index");
    assertThat(indexSettings.path("number_of_shards").asText()).isEqualTo("3");
    assertThat(indexSettings.path("number_of_replicas").asText()).isEqualTo("1");
    assertThat(indexSettings.path("similarity").path("default").path("k1").asText()).isEqualTo("0.9");
  }

  @Test
  void reAddingAVersionWithFewerChunksRemovesTheRestEvenBeforeARefresh() {
    Document d = doc("d", 1, "c", "d.txt", "text/plain");
    index.add(d, chunks(d, "alpha one", "alpha two", "alpha three"));
    index.add(d, chunks(d, "alpha again")); // no commit in between: the first add is not searchable yet
    index.commit();
    assertThat(index.chunkCount()).isEqualTo(1);
    assertThat(index.search(new LexicalQuery("alpha", SearchFilter.all(), 10)))
        .extracting(Hit::chunkId).containsExactly("d:1:0");

    index.add(d, List.of());
    index.commit();
    assertThat(index.chunkCount()).isZero();
  }

  @Test
  void deletesSeeWritesThatWereNotCommittedYet() {
    Document d = doc("d", 1, "c", "d.txt", "text/plain");
    index.add(d, chunks(d, "fresh words", "more fresh words"));
    index.deleteVersion("d", 1);
    index.commit();
    assertThat(index.chunkCount()).isZero();
  }

  @Test
  void anUnreachableNodeIsSkippedAndANodelessClusterIsATransientFailure() throws Exception {
    List<URI> urls = new ArrayList<>();
    urls.add(URI.create("http://127.0.0.1:9")); // discard port: refused
    urls.addAll(settings.urls());
    OpenSearchSettings withDeadNode = new OpenSearchSettings(urls, settings.prefix(), 3, 1, Duration.ofSeconds(10),
        null, null);
    try (LexicalIndex viaDeadNode = new OpenSearchLexicalIndex(new OpenSearchClient(withDeadNode), withDeadNode,
        Bm25Params.DEFAULT)) {
      Document d = doc("d", 1, "c", "d.txt", "text/plain");
      viaDeadNode.add(d, chunks(d, "reachable words"));
      viaDeadNode.commit();
      assertThat(viaDeadNode.search(new LexicalQuery("reachable", SearchFilter.all(), 10))).hasSize(1);
    }

    OpenSearchSettings nowhere = new OpenSearchSettings(List.of(URI.create("http://127.0.0.1:9")), settings.prefix(),
        3, 1, Duration.ofSeconds(5), null, null);
    assertThatThrownBy(() -> new OpenSearchLexicalIndex(new OpenSearchClient(nowhere), nowhere, Bm25Params.DEFAULT))
        .isInstanceOf(TransientStorageException.class)
        .hasMessageContaining("no OpenSearch node answered")
        .hasMessageContaining("127.0.0.1:9")
        .satisfies(e -> assertThat(StorageException.isTransient(e)).isTrue());
  }

  @Test
  void anErrorAnswerCarriesOpenSearchsReasonAndIsNotTransient() {
    assertThatThrownBy(() -> client.call("POST", "/" + settings.lexicalAlias() + "/_search",
        OpenSearchClient.object().put("size", "not a number")))
        .isInstanceOf(StorageException.class)
        .isNotInstanceOf(TransientStorageException.class)
        .hasMessageContaining("answered POST /" + settings.lexicalAlias() + "/_search with 400");
  }
}
