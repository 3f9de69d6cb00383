package rag.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import rag.storage.embed.CachingEmbedder;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.Document;
import rag.storage.model.DocumentStatus;
import rag.storage.model.SearchFilter;
import rag.storage.opensearch.OpenSearchClient;
import rag.storage.vector.EmbeddedChunk;
import rag.storage.vector.VectorQuery;
import rag.storage.opensearch.OpenSearchSettings;
import rag.storage.opensearch.TestOpenSearch;

/**
 * The cluster backend: the catalog in a fresh PostgreSQL database, BM25 and vectors on the real three-node OpenSearch
 * cluster under a fresh prefix (one shard each: the contract is about the archive; OpenSearchLexicalIndexIT and
 * OpenSearchVectorStoreIT test three shards with replicas). Every guarantee of the other backends holds here too.
 */
class ClusterArchiveIT extends CollectionDeletionContract {
  private TestDatabase database;
  private final OpenSearchSettings search = TestOpenSearch.singleShardSettings();

  @Override
  protected Archive open(int dimension, String model) {
    if (database == null) {
      database = TestDatabase.create();
    }
    return ArchiveFactory.open(StorageConfig.cluster(dataDir, database.jdbcUrl(), database.user(), null, search),
        dimension, model);
  }

  @Override
  protected void tamper(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), null);
        Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  /**
   * Issue 13: the indexes are rebuilt from PostgreSQL while searches and writes go on: every search during the
   * rebuild answers with the documents it should, writes made meanwhile are searchable after it, the alias ends on a
   * new generation, and a version whose vectors are not in the cache is marked for embedding again.
   */
  @Test
  void theSearchIndexesAreRebuiltFromPostgresqlWhileSearchesAndWritesGoOn() throws Exception {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Document d = archive.write(Fixtures.draft("c", "note-" + i + ".txt", "text/plain"),
          Fixtures.chunks("harbour note " + i + " about tides", "second part " + i));
      List<EmbeddedChunk> vectors = embedded(d, i % 8);
      if (i != 7) { // note 7's vectors were never cached (embedded before the cache, say)
        Map<String, float[]> cached = new HashMap<>();
        vectors.forEach(v -> cached.put(CachingEmbedder.key(v.chunk().text()), v.vector()));
        archive.embeddingCache().put(archive.currentGeneration().model(), cached);
      }
      archive.addVectors(d, vectors);
      docs.add(d);
    }
    AtomicBoolean rebuilding = new AtomicBoolean(true);
    AtomicInteger searches = new AtomicInteger();
    List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Document> writtenMeanwhile = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread searcher = new Thread(() -> {
      while (rebuilding.get()) {
        try {
          int n = archive.lexicalSearch(new LexicalQuery("harbour tides", SearchFilter.all(), 100)).size();
          if (n < 40) {
            problems.add("a search during the rebuild found " + n + " of 40 notes");
          }
          if (archive.vectorSearch(new VectorQuery(Fixtures.vector(DIM, 3, 0), SearchFilter.all(), 5)).isEmpty()) {
            problems.add("a vector search during the rebuild found nothing");
          }
          searches.incrementAndGet();
        } catch (RuntimeException e) {
          problems.add(e.toString());
        }
      }
    });
    Thread writer = new Thread(() -> {
      for (int i = 0; rebuilding.get() && i < 200; i++) {
        writtenMeanwhile.add(archive.write(Fixtures.draft("c", "late-" + i + ".txt", "text/plain"),
            Fixtures.chunks("written during the rebuild " + i)));
      }
    });
    searcher.start();
    writer.start();
    SearchRebuild.Report report;
    try {
      report = archive.rebuildSearch();
    } finally {
      rebuilding.set(false);
      searcher.join();
      writer.join();
    }

    assertThat(problems).isEmpty();
    assertThat(searches.get()).isPositive();
    assertThat(report.lexicalIndex()).isEqualTo(search.lexicalAlias() + "-000002");
    assertThat(report.versions()).isGreaterThanOrEqualTo(40);
    assertThat(report.vectorsMissing()).isEqualTo(1);
    Set<String> published = archive.reader().publishedVersionKeys();
    assertThat(archive.internals().lexical().versionKeys()).containsExactlyInAnyOrderElementsOf(published);
    assertThat(writtenMeanwhile).isNotEmpty();
    assertThat(archive.lexicalSearch(new LexicalQuery("written during the rebuild", SearchFilter.all(), 1000)))
        .hasSize(writtenMeanwhile.size());
    assertThat(archive.internals().vectors().vectorCount()).isEqualTo(2 * 39);
    assertThat(archive.reader().find(docs.get(7).id()).orElseThrow().status()).isEqualTo(DocumentStatus.SEARCHABLE);
    assertThat(archive.reader().find(docs.get(8).id()).orElseThrow().status()).isEqualTo(DocumentStatus.READY);
    var aliased = new OpenSearchClient(search).call("GET", "/_alias/" + search.lexicalAlias(), null);
    assertThat(aliased.has(search.lexicalAlias() + "-000002")).isTrue();
    assertThat(aliased.size()).isEqualTo(1);
  }

  @AfterEach
  void dropDatabaseAndIndexes() throws Exception {
    if (archive != null) {
      archive.close();
      archive = null;
    }
    if (database != null) {
      database.close();
    }
    TestOpenSearch.deleteIndexes(search);
  }
}
