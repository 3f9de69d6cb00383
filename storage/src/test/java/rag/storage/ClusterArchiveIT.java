package rag.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
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
import rag.storage.catalog.SearchOutbox;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.ChunkId;
import rag.storage.model.Document;
import rag.storage.model.DocumentStatus;
import rag.storage.model.SearchFilter;
import rag.storage.opensearch.OpenSearchClient;
import rag.storage.vector.EmbeddedChunk;
import rag.storage.vector.VectorQuery;
import rag.storage.opensearch.OpenSearchSettings;
import rag.storage.opensearch.TcpProxy;
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

  /**
   * Issue 13, the search outbox: an instance that cannot reach the search cluster still publishes (a new version of a
   * document, a new document with its vectors) and deletes, and the outbox records what the indexes need in the same
   * transactions; meanwhile searches see the catalog's state only (never the replaced version, never the deleted
   * document); another instance applies the outbox, after which the indexes hold exactly what is published, and
   * applying it again changes nothing.
   */
  @Test
  void whatIsWrittenWhileTheSearchClusterIsAwayIsIndexedFromTheSearchOutbox() throws Exception {
    Document replaced = archive.write(Fixtures.draft("c", "a.txt", "text/plain"),
        Fixtures.chunks("original harbour wording"));
    Document deleted = archive.write(Fixtures.draft("c", "gone.txt", "text/plain"),
        Fixtures.chunks("a note about sluice gates"));
    try (TcpProxy proxy = new TcpProxy(search.urls().get(0));
        Archive away = ArchiveFactory.open(StorageConfig.cluster(dataDir.resolve("away"), database.jdbcUrl(),
            database.user(), null, new OpenSearchSettings(List.of(proxy.uri()), search.prefix(), 1, 0,
                Duration.ofSeconds(5), null, null)), DIM, "test-model")) {
      proxy.cut();
      Document revised = away.write(Fixtures.draft("c", "a.txt", "text/plain"),
          Fixtures.chunks("revised lighthouse wording", "second lighthouse part"));
      Document fresh = away.write(Fixtures.draft("c", "b.txt", "text/plain"),
          Fixtures.chunks("fresh notes on herring boats"));
      List<EmbeddedChunk> vectors = embedded(fresh, 5);
      archive.embeddingCache().put(archive.currentGeneration().model(),
          Map.of(CachingEmbedder.key(vectors.get(0).chunk().text()), vectors.get(0).vector()));
      assertThat(away.addVectors(fresh, vectors)).isTrue();
      assertThat(away.delete(deleted.id())).isTrue();

      assertThat(revised.version()).isEqualTo(2);
      assertThat(archive.reader().find(fresh.id()).orElseThrow().status()).isEqualTo(DocumentStatus.READY);
      assertThat(archive.searchOutboxBacklog().entries()).isEqualTo(4); // a.txt v2, b.txt, its vectors, the deletion
      assertThat(bm25("lighthouse")).isEmpty();
      assertThat(bm25("harbour")).as("the replaced version is not searchable").isEmpty();
      assertThat(bm25("sluice")).as("the deleted document is not searchable").isEmpty();
      assertThat(archive.internals().lexical().versionKeys())
          .contains(ChunkId.versionKey(replaced.id(), 1), ChunkId.versionKey(deleted.id(), 1));

      assertThat(archive.applySearchOutbox(100)).isEqualTo(4);

      assertThat(bm25("lighthouse")).containsExactly(revised.id(), revised.id());
      assertThat(bm25("herring")).containsExactly(fresh.id());
      assertThat(archive.vectorSearch(new VectorQuery(vectors.get(0).vector(), SearchFilter.all(), 1)))
          .extracting(c -> c.chunk().documentId()).containsExactly(fresh.id());
      assertThat(archive.internals().lexical().versionKeys())
          .containsExactlyInAnyOrderElementsOf(archive.reader().publishedVersionKeys());
      assertThat(archive.internals().vectors().versionKeys())
          .containsExactly(ChunkId.versionKey(fresh.id(), fresh.version()));
      assertThat(archive.searchOutboxBacklog().entries()).isZero();
      assertThat(archive.applySearchOutbox(100)).isZero();
    }
  }

  /**
   * One instance at a time applies the outbox (the others find it taken and apply nothing), and a batch whose
   * application fails stays for the next attempt; the backends without a search cluster keep no outbox.
   */
  @Test
  void oneInstanceAtATimeAppliesTheSearchOutboxAndAFailedBatchStays() throws Exception {
    Document d = archive.write(Fixtures.draft("c", "a.txt", "text/plain"), Fixtures.chunks("first"));
    archive.write(Fixtures.draft("c", "a.txt", "text/plain"), Fixtures.chunks("second"));
    assertThat(archive.searchOutboxBacklog().entries()).as("the replaced version's removal").isEqualTo(1);
    var catalog = archive.internals().catalog();
    try (Archive other = open(DIM, "test-model")) {
      assertThatThrownBy(() -> catalog.drainSearchOutbox(10, entries -> {
        assertThat(entries).extracting(SearchOutbox.Entry::documentId, SearchOutbox.Entry::version,
            SearchOutbox.Entry::pending, SearchOutbox.Entry::published).containsExactly(tuple(d.id(), 2, false, true));
        assertThat(other.applySearchOutbox(10)).as("held by this instance").isZero();
        throw new IllegalStateException("the search cluster went away");
      })).hasMessageContaining("went away");
      assertThat(archive.searchOutboxBacklog().entries()).isEqualTo(1);
      assertThat(other.applySearchOutbox(10)).isEqualTo(1);
    }
    assertThat(archive.internals().lexical().versionKeys()).containsExactly(ChunkId.versionKey(d.id(), 2));
    assertThat(archive.searchOutboxBacklog().entries()).isZero();
  }

  /**
   * Outbox ids are taken at insert, not at commit: an entry whose transaction commits after a later entry was applied
   * is not lost (the applied ones are deleted by id), and is applied by the next drain.
   */
  @Test
  void anOutboxEntryCommittedLateIsAppliedByTheNextDrain() throws Exception {
    Document gone = archive.write(Fixtures.draft("c", "gone.txt", "text/plain"), Fixtures.chunks("sluice gates"));
    try (Connection late = DriverManager.getConnection(database.jdbcUrl(), database.user(), null)) {
      late.setAutoCommit(false);
      try (Statement s = late.createStatement()) {
        s.executeUpdate("DELETE FROM chunks WHERE document_id = '" + gone.id() + "'");
        s.executeUpdate("DELETE FROM documents WHERE id = '" + gone.id() + "'");
        s.executeUpdate("INSERT INTO search_outbox (kind, document_id, version, pending, created_at)"
            + " VALUES ('DELETE', '" + gone.id() + "', 0, 0, 0)");
      }
      archive.write(Fixtures.draft("c", "a.txt", "text/plain"), Fixtures.chunks("first"));
      archive.write(Fixtures.draft("c", "a.txt", "text/plain"), Fixtures.chunks("second")); // a later id
      // the late transaction commits while the drain applies what it read (its entry was not among them)
      assertThat(archive.internals().catalog().drainSearchOutbox(10, entries -> {
        assertThat(entries).extracting(SearchOutbox.Entry::kind).containsExactly(SearchOutbox.Kind.PUBLISH);
        try {
          late.commit();
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
        return Set.of();
      })).isEqualTo(1);
    }
    assertThat(archive.internals().lexical().versionKeys()).contains(ChunkId.versionKey(gone.id(), 1));
    assertThat(archive.searchOutboxBacklog().entries()).isEqualTo(1);
    assertThat(archive.applySearchOutbox(10)).isEqualTo(1);
    assertThat(archive.internals().lexical().versionKeys()).doesNotContain(ChunkId.versionKey(gone.id(), 1));
  }

  /**
   * A version the search cluster refuses for good (here a media type longer than a keyword may be) is marked FAILED
   * with OpenSearch's reason, and the entries behind it are applied.
   */
  @Test
  void aVersionTheSearchClusterRefusesIsMarkedFailedWithoutBlockingTheOutbox() throws Exception {
    String longType = "text/plain; note=" + "x".repeat(33_000);
    try (TcpProxy proxy = new TcpProxy(search.urls().get(0));
        Archive away = ArchiveFactory.open(StorageConfig.cluster(dataDir.resolve("away"), database.jdbcUrl(),
            database.user(), null, new OpenSearchSettings(List.of(proxy.uri()), search.prefix(), 1, 0,
                Duration.ofSeconds(5), null, null)), DIM, "test-model")) {
      proxy.cut();
      Document refused = away.write(Fixtures.draft("c", "long.txt", longType), Fixtures.chunks("lost words"));
      Document fine = away.write(Fixtures.draft("c", "short.txt", "text/plain"), Fixtures.chunks("herring boats"));
      assertThat(archive.applySearchOutbox(10)).isEqualTo(2);
      Document failed = archive.reader().find(refused.id()).orElseThrow();
      assertThat(failed.status()).isEqualTo(DocumentStatus.FAILED);
      assertThat(failed.error()).startsWith("the search cluster refused it: ");
      assertThat(bm25("herring")).containsExactly(fine.id());
    }
  }

  /**
   * Vectors of a generation the draining instance does not serve (an instance still on the older model, during a
   * rolling upgrade) are left in the outbox for an instance that does, not dropped.
   */
  @Test
  void vectorsOfAGenerationTheDrainerDoesNotServeAreLeftForOneThatDoes() throws Exception {
    try (TcpProxy proxy = new TcpProxy(search.urls().get(0));
        Archive upgraded = ArchiveFactory.open(StorageConfig.cluster(dataDir.resolve("upgraded"), database.jdbcUrl(),
            database.user(), null, new OpenSearchSettings(List.of(proxy.uri()), search.prefix(), 1, 0,
                Duration.ofSeconds(5), null, null)), DIM, "newer-model")) {
      proxy.cut();
      Document d = upgraded.write(Fixtures.draft("c", "a.txt", "text/plain"), Fixtures.chunks("herring boats"));
      List<EmbeddedChunk> vectors = embedded(d, 3);
      upgraded.embeddingCache().put("newer-model",
          Map.of(CachingEmbedder.key(vectors.get(0).chunk().text()), vectors.get(0).vector()));
      assertThat(upgraded.addVectors(d, vectors)).isTrue();
      assertThat(archive.applySearchOutbox(10)).as("the version, not its vectors").isEqualTo(1);
      assertThat(archive.searchOutboxBacklog().entries()).isEqualTo(1);
      try (Archive served = open(DIM, "newer-model")) {
        assertThat(served.applySearchOutbox(10)).isEqualTo(1);
        assertThat(served.vectorSearch(new VectorQuery(vectors.get(0).vector(), SearchFilter.all(), 1)))
            .extracting(c -> c.chunk().documentId()).containsExactly(d.id());
      }
    }
  }

  /** The cluster backend keeps its vectors in OpenSearch, so it runs on a PostgreSQL without pgvector. */
  @Test
  void theClusterBackendDoesNotUsePgvector() throws Exception {
    Document d = archive.write(Fixtures.draft("c", "a.txt", "text/plain"), Fixtures.chunks("words"));
    assertThat(archive.addVectors(d, embedded(d, 0))).isTrue();
    try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), null);
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT COUNT(*) FROM pg_extension WHERE extname = 'vector'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  private List<String> bm25(String words) {
    return archive.lexicalSearch(new LexicalQuery(words, SearchFilter.all(), 10)).stream()
        .map(c -> c.chunk().documentId()).toList();
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
