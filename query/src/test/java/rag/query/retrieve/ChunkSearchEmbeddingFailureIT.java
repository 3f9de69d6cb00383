package rag.query.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static rag.query.QueryFixture.COLLECTION;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.query.QueryFixture;
import rag.storage.Archive;
import rag.storage.embed.EmbeddingException;
import rag.storage.embed.OpenAiCompatibleEmbedder;
import rag.storage.embed.OpenAiEmbeddingSettings;
import rag.storage.embed.ScriptedEmbeddingServer;
import rag.storage.embed.ScriptedEmbeddingServer.Reply;
import rag.storage.model.SearchFilter;

/** An embedding server on a socket that refuses the question: dense fails with its reason, hybrid says it fell back. */
class ChunkSearchEmbeddingFailureIT {
  private static final SearchFilter LIBRARY = SearchFilter.collection(COLLECTION);

  @TempDir
  Path dir;
  ScriptedEmbeddingServer server;
  Archive archive;
  ChunkSearch search;

  @BeforeEach
  void setUp() {
    server = ScriptedEmbeddingServer.start(32);
    OpenAiCompatibleEmbedder embedder = new OpenAiCompatibleEmbedder(
        OpenAiEmbeddingSettings.of(server.baseUrl(), "scripted").withDimension(32));
    archive = QueryFixture.open(dir, embedder);
    QueryFixture.library(archive, embedder);
    search = new ChunkSearch(new HybridRetriever(archive, embedder, 60, 0.9), archive.reader(), 100);
  }

  @AfterEach
  void tearDown() throws Exception {
    archive.close();
    server.close();
  }

  @Test
  void denseFailsWithTheServersReasonAndHybridRanksByBm25AloneWithAWarning() {
    server.script(Reply.error(401, "invalid api key"));
    assertThatThrownBy(() -> search.search(new SearchRequest("foghorn", LIBRARY, RetrieverKind.DENSE, 10)))
        .isInstanceOfSatisfying(EmbeddingException.class,
            e -> assertThat(e.failure()).isEqualTo(EmbeddingException.Failure.UNAUTHORIZED));

    server.script(Reply.error(401, "invalid api key"));
    SearchResults hybrid = search.search(new SearchRequest("foghorn", LIBRARY, RetrieverKind.HYBRID, 10));
    assertThat(hybrid.hits()).extracting(h -> h.document().sourcePath()).containsExactly("talks/keeper.vtt");
    assertThat(hybrid.hits().get(0).denseRank()).isNull();
    assertThat(hybrid.warnings()).singleElement().asString().startsWith("the question could not be embedded (")
        .endsWith("): ranked by BM25 alone");

    // the server answers again: both rankings, no warning
    SearchResults recovered = search.search(new SearchRequest("foghorn", LIBRARY, RetrieverKind.HYBRID, 10));
    assertThat(recovered.warnings()).isEmpty();
    assertThat(recovered.hits()).hasSize(4);
    assertThat(recovered.hits().get(0).denseRank()).isNotNull();
    assertThat(server.requests().get(server.requests().size() - 1).input()).isEqualTo(List.of("foghorn"));
  }
}
