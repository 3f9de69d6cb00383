package rag.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import rag.storage.catalog.DocumentCatalog;
import rag.storage.catalog.CatalogReader;
import org.junit.jupiter.api.io.TempDir;
import rag.storage.catalog.TokenCountStore;
import rag.storage.audit.AuditEntry;
import rag.storage.audit.AuditStore;
import rag.storage.evals.EvalRunStore;
import rag.storage.evals.QuestionSetStore;
import rag.storage.keys.AccessLevel;
import rag.storage.keys.ApiKey;
import rag.storage.keys.ApiKeyStore;
import rag.storage.keys.KeyScope;
import rag.storage.lexical.LexicalQuery;
import rag.storage.lucene.LuceneBacked;
import rag.storage.lucene.ManagedIndex;
import rag.storage.model.Chunk;
import rag.storage.model.ChunkId;
import rag.storage.model.CollectionStats;
import rag.storage.model.Document;
import rag.storage.model.DocumentStatus;
import rag.storage.model.Provenance;
import rag.storage.model.ScoredChunk;
import rag.storage.model.SearchFilter;
import rag.storage.vector.EmbeddedChunk;
import rag.storage.vector.VectorQuery;

/**
 * What every backend of the archive must do, run against the real engines. Subclasses say how to
 * open the archive on a fresh store.
 */
public abstract class ArchiveContract {
  protected static final int DIM = 16;

  @TempDir
  protected Path dataDir;
  protected Archive archive;

  /** Opens the archive on the store of this test (the same store on every call within a test). */
  protected abstract Archive open(int dimension, String model);

  @BeforeEach
  void openArchive() {
    archive = open(DIM, "test-model");
  }

  @AfterEach
  void closeArchive() throws Exception {
    if (archive != null) {
      archive.close();
    }
  }

  private List<ScoredChunk> bm25(String text, SearchFilter filter) {
    return archive.lexicalSearch(new LexicalQuery(text, filter, 100));
  }

  @Test
  void writtenDocumentIsCatalogedAndSearchable() {
    Document doc = archive.write(Fixtures.draft("papers", "a/hnsw.pdf", "application/pdf"),
        Fixtures.chunks("Hierarchical navigable small world graphs", "Approximate nearest neighbour search"));

    assertThat(doc.version()).isEqualTo(1);
    assertThat(doc.chunkCount()).isEqualTo(2);
    assertThat(archive.reader().find(doc.id())).get().satisfies(d -> {
      assertThat(d.title()).isEqualTo("Title of a/hnsw.pdf");
      assertThat(d.sourceName()).isEqualTo("hnsw.pdf");
      assertThat(d.metadata()).containsEntry("author", "tester");
      assertThat(d.status()).isEqualTo(DocumentStatus.SEARCHABLE);
    });
    List<Chunk> chunks = archive.reader().chunks(doc.id());
    assertThat(chunks).extracting(Chunk::ordinal).containsExactly(0, 1);
    assertThat(chunks.get(1).provenance().pageStart()).isEqualTo(2);
    assertThat(archive.reader().provenances(doc.id(), doc.version()))
        .containsExactly(chunks.get(0).provenance(), chunks.get(1).provenance());

    List<ScoredChunk> hits = bm25("navigable graphs", SearchFilter.collection("papers"));
    assertThat(hits).hasSize(1);
    assertThat(hits.get(0).chunk().id()).isEqualTo(chunks.get(0).id());
    assertThat(hits.get(0).chunk().text()).isEqualTo("Hierarchical navigable small world graphs");
  }

  /** Readers get the catalog's reads only: no cast leads back to writes, and a staged version stays invisible. */
  @Test
  void theReaderIsAReadOnlyViewOfPublishedVersions() {
    CatalogReader reader = archive.reader();
    assertThat(reader).isNotInstanceOf(DocumentCatalog.class);
    Document v1 = archive.write(Fixtures.draft("papers", "r.txt", "text/plain"), Fixtures.chunks("first words"));
    Document staged = archive.internals().catalog().stage(Fixtures.draft("papers", "r.txt", "text/plain"),
        Fixtures.chunks("second words"));
    assertThat(staged.version()).isEqualTo(2);

    assertThat(reader.find(v1.id())).map(Document::version).hasValue(1);
    assertThat(reader.chunks(v1.id())).extracting(Chunk::text).containsExactly("first words");
    assertThat(reader.list("papers", 0, 10)).extracting(Document::version).containsExactly(1);
    assertThat(reader.publishedVersions(List.of(v1.id()))).containsEntry(v1.id(), 1);
    assertThat(reader.collection("papers")).map(CollectionStats::documentCount).hasValue(1L);

    archive.internals().catalog().publish(staged.id(), staged.version());
    assertThat(reader.chunks(v1.id())).extracting(Chunk::text).containsExactly("second words");
  }

  /** The gauges of what the stores hold open: a searcher in use keeps its reader open until released, then it goes. */
  @Test
  void storeUseCountsSearchersInUseAndTheReadersTheyHoldOpen() {
    org.junit.jupiter.api.Assumptions.assumeTrue(archive.internals().lexical() instanceof LuceneBacked,
        "this backend's BM25 index is on a search cluster: it holds no Lucene searchers in this process");
    archive.write(Fixtures.draft("c", "one.txt", "text/plain"), Fixtures.chunks("first words"));
    StoreUse rest = archive.storeUse();
    assertThat(rest.connectionsMax()).isPositive();
    assertThat(rest.connectionsActive()).isZero();
    assertThat(rest.connectionsPending()).isZero();
    assertThat(rest.searchersInUse()).isZero();
    assertThat(rest.searchersOpen()).isPositive();
    ManagedIndex lexical = ((LuceneBacked) archive.internals().lexical()).luceneIndex();

    int held = lexical.withSearcher(old -> {
      assertThat(archive.storeUse().searchersInUse()).isEqualTo(1);
      archive.write(Fixtures.draft("c", "two.txt", "text/plain"), Fixtures.chunks("second words"));
      assertThat(bm25("second", SearchFilter.all())).hasSize(1); // on a new searcher: the old one is still held
      return archive.storeUse().searchersOpen();
    });

    assertThat(held).isEqualTo(rest.searchersOpen() + 1);
    assertThat(archive.storeUse().searchersOpen()).isEqualTo(rest.searchersOpen());
    assertThat(archive.storeUse().searchersInUse()).isZero();
  }

  @Test
  void documentsAreFoundByManyDigestsAndPathsInOneRead() {
    Document one = archive.write(Fixtures.draft("papers", "one.txt", "text/plain"), Fixtures.chunks("alpha"));
    Document copy = archive.write(Document.draft("papers", "copy.txt", "text/plain", one.sha256(), 100, null, "en", 1,
        Map.of()), Fixtures.chunks("alpha"));
    Document two = archive.write(Fixtures.draft("papers", "two.txt", "text/plain"), Fixtures.chunks("beta"));
    archive.write(Fixtures.draft("other", "one.txt", "text/plain"), Fixtures.chunks("alpha"));
    archive.internals().catalog().stage(Fixtures.draft("papers", "staged.txt", "text/plain"), Fixtures.chunks("x"));

    Map<String, List<Document>> bySha = archive.reader().findBySha256("papers",
        List.of(one.sha256(), two.sha256(), "sha-staged.txt", "sha-none"));
    assertThat(bySha).containsOnlyKeys(one.sha256(), two.sha256());
    assertThat(bySha.get(one.sha256())).extracting(Document::id).containsExactly(copy.id(), one.id()); // by path
    assertThat(bySha.get(two.sha256())).extracting(Document::id).containsExactly(two.id());

    Map<String, Document> byPath = archive.reader().findBySourcePaths("papers",
        List.of("one.txt", "two.txt", "staged.txt", "none.txt"));
    assertThat(byPath).containsOnlyKeys("one.txt", "two.txt");
    assertThat(byPath.get("one.txt").id()).isEqualTo(one.id());
    assertThat(archive.reader().findBySourcePaths("papers", List.of())).isEmpty();
  }

  @Test
  void collectionsAreListedWithTotals() {
    archive.internals().catalog().ensureCollection("empty");
    archive.write(Fixtures.draft("papers", "one.txt", "text/plain"), Fixtures.chunks("alpha beta", "gamma"));
    archive.write(Fixtures.draft("papers", "two.txt", "text/plain"), Fixtures.chunks("delta"));

    assertThat(archive.reader().collections()).containsExactly(
        new CollectionStats("empty", 0, 0, 0),
        new CollectionStats("papers", 2, 3, 4));
    assertThat(archive.reader().list("papers", 0, 10)).extracting(Document::sourcePath)
        .containsExactly("one.txt", "two.txt");
    assertThat(archive.reader().list("papers", 1, 10)).extracting(Document::sourcePath).containsExactly("two.txt");
  }

  @Test
  void filtersRestrictLexicalSearch() {
    Document pdf = archive.write(Fixtures.draft("c1", "reports/2024/q1.pdf", "application/pdf"),
        Fixtures.chunks("quarterly revenue report"));
    archive.write(Fixtures.draft("c1", "notes/q1.txt", "text/plain"), Fixtures.chunks("revenue notes"));
    archive.write(Fixtures.draft("c2", "reports/q1.pdf", "application/pdf"), Fixtures.chunks("revenue elsewhere"));

    assertThat(bm25("revenue", SearchFilter.all())).hasSize(3);
    assertThat(bm25("revenue", SearchFilter.collection("c1"))).hasSize(2);
    assertThat(bm25("revenue", new SearchFilter("c1", null, Set.of("application/pdf"), null)))
        .extracting(h -> h.chunk().documentId()).containsExactly(pdf.id());
    assertThat(bm25("revenue", new SearchFilter(null, null, null, "reports/"))).hasSize(2);
    assertThat(bm25("revenue", new SearchFilter("c1", null, null, "reports/2024/"))).hasSize(1);
    assertThat(bm25("revenue", new SearchFilter(null, Set.of(pdf.id()), null, null))).hasSize(1);
  }

  @Test
  void searchesSeeOnlyTheCallersReadableCollections() {
    Document mine = archive.write(Fixtures.draft("mine", "a.txt", "text/plain"), Fixtures.chunks("shared secret"));
    Document theirs = archive.write(Fixtures.draft("theirs", "b.txt", "text/plain"), Fixtures.chunks("shared secret"));
    archive.addVectors(mine, embedded(mine, 0));
    archive.addVectors(theirs, embedded(theirs, 0));
    SearchFilter readable = SearchFilter.all().readableOnly(Set.of("mine"));
    float[] q = Fixtures.vector(DIM, 0, 99);

    assertThat(bm25("secret", readable)).extracting(h -> h.chunk().documentId()).containsExactly(mine.id());
    assertThat(archive.vectorSearch(new VectorQuery(q, readable, 10))).extracting(h -> h.chunk().documentId())
        .containsExactly(mine.id());
    SearchFilter askedForTheirs = SearchFilter.collection("theirs").readableOnly(Set.of("mine"));
    assertThat(bm25("secret", askedForTheirs)).isEmpty();
    assertThat(archive.vectorSearch(new VectorQuery(q, askedForTheirs, 10))).isEmpty();
    assertThat(bm25("secret", SearchFilter.all().readableOnly(Set.of()))).isEmpty();
    assertThat(bm25("secret", SearchFilter.all())).hasSize(2);
    // the catalog's check of every hit applies the same limit, whatever an index returned
    List<String> both = List.of(archive.reader().chunks(mine.id()).get(0).id(),
        archive.reader().chunks(theirs.id()).get(0).id());
    assertThat(archive.internals().catalog().publishedChunks(both, null, Set.of("mine"))).containsOnlyKeys(both.get(0));
    assertThat(archive.internals().catalog().publishedChunks(both, null, Set.of())).isEmpty();
    assertThat(archive.internals().catalog().publishedChunks(both, null, null)).containsOnlyKeys(both);
  }

  @Test
  void codeIsFoundByIdentifierParts() {
    archive.write(Fixtures.draft("code", "src/Parser.java", "text/x-java-source"),
        Fixtures.chunks("public Header parseHttpHeader(String raw_header_line) { return null; }"));

    assertThat(bm25("parse http header", SearchFilter.collection("code"))).hasSize(1);
    assertThat(bm25("parseHttpHeader", SearchFilter.collection("code"))).hasSize(1);
    assertThat(bm25("header line", SearchFilter.collection("code"))).hasSize(1);
    assertThat(bm25("unrelated words", SearchFilter.collection("code"))).isEmpty();
  }

  @Test
  void replacingADocumentKeepsItsIdAndShowsOnlyTheNewVersion() {
    Document v1 = archive.write(Fixtures.draft("c", "doc.txt", "text/plain"),
        Fixtures.chunks("old apples", "old bananas"));
    archive.addVectors(v1, embedded(v1, 0));
    Document v2 = archive.write(Fixtures.draft("c", "doc.txt", "text/plain"), Fixtures.chunks("new cherries"));

    assertThat(v2.id()).isEqualTo(v1.id());
    assertThat(v2.version()).isEqualTo(2);
    assertThat(bm25("apples bananas", SearchFilter.all())).isEmpty();
    assertThat(bm25("cherries", SearchFilter.all())).hasSize(1);
    assertThat(archive.reader().chunks(v1.id())).extracting(Chunk::text).containsExactly("new cherries");
    assertThat(archive.reader().find(v1.id()).orElseThrow().version()).isEqualTo(2);
    assertThat(archive.reader().chunks(v1.id(), 1)).isEmpty();
    assertThat(archive.reader().provenances(v1.id(), 1)).isEmpty();
    assertThat(archive.reader().provenances(v1.id(), 2)).containsExactly(Provenance.pages(1, 1));
    assertThat(archive.internals().lexical().versionKeys()).containsExactly(v1.id() + ":2");
    assertThat(archive.internals().vectors().versionKeys()).isEmpty();
    assertThat(archive.vectorSearch(new VectorQuery(Fixtures.vector(DIM, 0, 1), null, 10))).isEmpty();
  }

  @Test
  void vectorsMakeADocumentReadyAndFindable() {
    Document doc = archive.write(Fixtures.draft("c", "v.txt", "text/plain"),
        Fixtures.chunks("first", "second", "third"));
    assertThat(archive.addVectors(doc, embedded(doc, 0))).isTrue();

    assertThat(archive.reader().find(doc.id()).orElseThrow().status()).isEqualTo(DocumentStatus.READY);
    List<ScoredChunk> nearest = archive.vectorSearch(new VectorQuery(Fixtures.vector(DIM, 1, 99), null, 2));
    assertThat(nearest).hasSize(2);
    assertThat(nearest.get(0).chunk().ordinal()).isEqualTo(1);
    assertThat(nearest.get(0).score()).isBetween(0.9f, 1.0001f);
    assertThat(nearest.get(0).score()).isGreaterThanOrEqualTo(nearest.get(1).score());
    assertThat(archive.vectorSearch(new VectorQuery(Fixtures.vector(DIM, 1, 99),
        SearchFilter.collection("other"), 2))).isEmpty();
  }

  @Test
  void vectorsOfAReplacedVersionAreNotKept() {
    Document v1 = archive.write(Fixtures.draft("c", "r.txt", "text/plain"), Fixtures.chunks("one"));
    List<EmbeddedChunk> v1Vectors = embedded(v1, 0);
    archive.write(Fixtures.draft("c", "r.txt", "text/plain"), Fixtures.chunks("two"));

    assertThat(v1Vectors).hasSize(1);
    assertThat(archive.addVectors(v1, v1Vectors)).isFalse();
    assertThat(archive.internals().vectors().versionKeys()).isEmpty();
  }

  @Test
  void tokenCountsBelongToOneVersionAndGoWithIt() {
    TokenCountStore counts = archive.tokenCounts();
    Document v1 = archive.write(Fixtures.draft("c", "t.txt", "text/plain"), Fixtures.chunks("one"));
    counts.put("qwen3", "layout-a", Map.of(v1, new TokenCountStore.Counts(7, 70)));
    counts.put("qwen3", "layout-a", Map.of(v1, new TokenCountStore.Counts(8, 80))); // a second count keeps the first
    counts.put("qwen3", "layout-b", Map.of(v1, new TokenCountStore.Counts(9, 90)));

    assertThat(counts.get("qwen3", "layout-a", List.of(v1)))
        .containsExactly(Map.entry(ChunkId.versionKey(v1.id(), 1), new TokenCountStore.Counts(7, 70)));
    assertThat(counts.get("other", "layout-a", List.of(v1))).isEmpty();

    Document v2 = archive.write(Fixtures.draft("c", "t.txt", "text/plain"), Fixtures.chunks("two"));
    assertThat(v2.version()).isEqualTo(2);
    assertThat(counts.get("qwen3", "layout-a", List.of(v2))).as("another version has no counts yet").isEmpty();
    assertThat(counts.purgeOrphans("layout-a")).as("version 1 is gone, layout-b is not current").isEqualTo(2);
    counts.put("qwen3", "layout-a", Map.of(v2, new TokenCountStore.Counts(5, 50)));
    assertThat(counts.purgeOrphans("layout-a")).isZero();
    archive.delete(v2.id());
    assertThat(counts.purgeOrphans("layout-a")).isEqualTo(1);
  }

  @Test
  void questionSetsAreKeptPerCollectionReplacedByNameAndGoWithTheirCollection() {
    QuestionSetStore sets = archive.questionSets();
    archive.ensureCollection("qa");
    assertThat(sets.put("qa", "first", 2, "{\"id\":\"1\"}\n{\"id\":\"2\"}")).isTrue();
    assertThat(sets.put("qa", "second", 1, "{\"id\":\"3\"}")).isTrue();
    assertThat(sets.put("other", "first", 1, "{\"id\":\"x\"}")).isTrue();
    assertThat(sets.put("qa", "first", 1, "{\"id\":\"1b\"}")).as("replaced, not new").isFalse();
    assertThat(sets.list("qa")).extracting(QuestionSetStore.Summary::name, QuestionSetStore.Summary::questions)
        .containsExactly(tuple("first", 1), tuple("second", 1));
    assertThat(sets.lines("qa", "first")).contains("{\"id\":\"1b\"}");
    assertThat(sets.lines("qa", "none")).isEmpty();
    assertThat(sets.delete("qa", "second")).isTrue();
    assertThat(sets.delete("qa", "second")).isFalse();

    assertThat(archive.deleteCollection("qa")).isPresent();
    assertThat(sets.list("qa")).as("deleted with the collection").isEmpty();
    assertThat(sets.list("other")).hasSize(1);
    sets.put("qa", "orphan", 1, "{}"); // as if a crash had cut the deletion short
    assertThat(archive.ensureCollection("qa")).isTrue();
    assertThat(sets.list("qa")).as("a new collection of that name starts without sets").isEmpty();
  }

  @Test
  void evalRunsAreKeptWithTheirStateSettingsAndResult() {
    EvalRunStore runs = archive.evalRuns();
    assertThat(runs.create("20261203-100000-aaaaaa", "niah", "queued", "{\"s\":\"queued\"}", "{\"k\":1}")).isTrue();
    assertThat(runs.create("20261203-100000-aaaaaa", "niah", "queued", "{}", "{}")).as("ids are unique").isFalse();
    assertThat(runs.create("20261203-110000-bbbbbb", "retrieval", "queued", "{\"s\":\"b\"}", "{}")).isTrue();
    assertThat(runs.updateState("20261203-100000-aaaaaa", "running", "{\"s\":\"running\"}")).isTrue();
    assertThat(runs.updateState("no-such-run", "running", "{}")).isFalse();

    assertThat(runs.states()).containsExactly("{\"s\":\"b\"}", "{\"s\":\"running\"}");
    assertThat(runs.statesIn("running")).containsExactly("{\"s\":\"running\"}");
    assertThat(runs.result("20261203-100000-aaaaaa")).isEmpty();
    assertThat(runs.putResult("20261203-100000-aaaaaa", "{\"r\":2}")).isTrue();
    assertThat(runs.updateState("20261203-100000-aaaaaa", "succeeded", "{\"s\":\"done\"}")).isTrue();
    assertThat(runs.result("20261203-100000-aaaaaa")).contains("{\"r\":2}");
    assertThat(runs.settings("20261203-100000-aaaaaa")).contains("{\"k\":1}");
    assertThat(runs.state("20261203-100000-aaaaaa")).contains("{\"s\":\"done\"}");
    assertThat(runs.statesIn("running")).isEmpty();
  }

  @Test
  void apiKeysAreKeptWithTheirGrantsScopesAndRevocation() {
    ApiKeyStore keys = archive.apiKeys();
    assertThat(keys.anyActive()).isFalse();
    Instant created = Instant.parse("2026-12-04T10:00:00Z");
    ApiKey reader = new ApiKey("k1", "reader", "aa11", Map.of("papers", AccessLevel.READ, "*", AccessLevel.READ),
        Set.of(), created, null, null);
    ApiKey admin = new ApiKey("k2", "ops", "bb22", Map.of("*", AccessLevel.ADMIN),
        Set.of(KeyScope.KEYS, KeyScope.AUDIT), created.plusSeconds(1), created.plusSeconds(3600), null);
    assertThat(keys.create(reader)).isTrue();
    assertThat(keys.create(admin)).isTrue();
    assertThat(keys.create(new ApiKey("k1", "again", "cc33", Map.of(), Set.of(), created, null, null)))
        .as("ids are unique").isFalse();

    assertThat(keys.anyActive()).isTrue();
    assertThat(keys.find("k1")).contains(reader);
    assertThat(keys.find("k2")).contains(admin);
    assertThat(keys.find("nope")).isEmpty();
    assertThat(keys.list()).extracting(ApiKey::id).containsExactly("k1", "k2");

    assertThat(keys.revoke("k1")).isTrue();
    assertThat(keys.revoke("k1")).as("revoked already").isFalse();
    assertThat(keys.find("k1").orElseThrow().revokedAt()).isNotNull();
    assertThat(keys.find("k1").orElseThrow().activeAt(Instant.now())).isFalse();

    ApiKey bootstrap = new ApiKey("k1", "bootstrap", "dd44", Map.of("*", AccessLevel.ADMIN), Set.of(KeyScope.EVAL),
        created, null, null);
    keys.ensure(bootstrap);
    assertThat(keys.find("k1")).contains(bootstrap);
    keys.revoke("k1");
    keys.revoke("k2");
    assertThat(keys.anyActive()).isFalse();
  }

  @Test
  void theAuditLogIsAHashChainThatShowsTampering() throws Exception {
    AuditStore audit = archive.audit();
    assertThat(audit.verify().intact()).isTrue();
    Instant t = Instant.parse("2026-12-04T10:00:00Z");
    AuditEntry first = audit.append(AuditEntry.of(t, "k1", "upload", "papers", "doc-1,doc-2", "202", "10.0.0.7",
        null));
    AuditEntry second = audit.append(AuditEntry.of(t.plusSeconds(5), "k2", "query", "notes", null, "200",
        "10.0.0.8", "cited doc-9:1:3"));
    audit.append(AuditEntry.of(t.plusSeconds(9), null, "access-denied", "papers", null, "404", "::1", null));

    assertThat(first.seq()).isEqualTo(1);
    assertThat(first.prevHash()).isEqualTo(AuditStore.GENESIS);
    assertThat(second.prevHash()).isEqualTo(first.hash());
    assertThat(audit.find(new AuditStore.Query(null, null, null, 10))).extracting(AuditEntry::seq)
        .containsExactly(3L, 2L, 1L);
    assertThat(audit.find(new AuditStore.Query("papers", null, null, 10))).extracting(AuditEntry::action)
        .containsExactly("access-denied", "upload");
    assertThat(audit.find(new AuditStore.Query(null, "k2", null, 10))).containsExactly(second);
    assertThat(audit.find(new AuditStore.Query(null, null, t.plusSeconds(6), 10))).extracting(AuditEntry::seq)
        .containsExactly(3L);
    assertThat(audit.verify().intact()).isTrue();
    assertThat(audit.verify().entries()).isEqualTo(3);

    tamper("UPDATE audit_log SET outcome = '200' WHERE seq = 3");
    assertThat(audit.verify().firstBrokenSeq()).contains(3L);
    tamper("UPDATE audit_log SET outcome = '404' WHERE seq = 3");
    assertThat(audit.verify().intact()).isTrue();
    tamper("DELETE FROM audit_log WHERE seq = 2");
    AuditStore.Verification broken = audit.verify();
    assertThat(broken.firstBrokenSeq()).contains(3L);
    assertThat(broken.reason()).contains("entry 2 is missing");
  }

  /** Runs SQL on the catalog's database behind the archive's back, as someone with the database's password would. */
  protected abstract void tamper(String sql) throws Exception;

  @Test
  void deleteRemovesTheDocumentFromEveryStore() {
    Document doc = archive.write(Fixtures.draft("c", "d.txt", "text/plain"), Fixtures.chunks("delete me"));
    archive.addVectors(doc, embedded(doc, 0));

    assertThat(archive.delete(doc.id())).isTrue();
    assertThat(archive.reader().find(doc.id())).isEmpty();
    assertThat(archive.reader().chunks(doc.id())).isEmpty();
    assertThat(bm25("delete", SearchFilter.all())).isEmpty();
    assertThat(archive.internals().lexical().chunkCount()).isZero();
    assertThat(archive.internals().vectors().vectorCount()).isZero();
    assertThat(archive.delete(doc.id())).isFalse();
  }

  @Test
  void unpublishedVersionsAreInvisibleAndReconcileRemovesThem() {
    Document published = archive.write(Fixtures.draft("c", "p.txt", "text/plain"), Fixtures.chunks("visible text"));
    // a crash between staging and publishing leaves a staged version in the catalog and the index
    Document staged = archive.internals().catalog().stage(Fixtures.draft("c", "p.txt", "text/plain"),
        Fixtures.chunks("staged text"));
    List<Chunk> stagedChunks = archive.reader().chunks(staged.id(), staged.version());
    archive.internals().lexical().add(staged, stagedChunks);
    archive.internals().lexical().commit();

    assertThat(bm25("staged", SearchFilter.all())).isEmpty();
    assertThat(bm25("visible", SearchFilter.all())).hasSize(1);

    Archive.ReconcileReport report = archive.reconcile();
    assertThat(report.unpublishedDiscarded()).isEqualTo(1);
    assertThat(report.lexicalVersionsRemoved()).isEqualTo(1);
    assertThat(archive.internals().lexical().versionKeys()).containsExactly(published.id() + ":1");
    assertThat(archive.reconcile().isClean()).isTrue();
  }

  /** Issue 13: an instance starting beside others must not discard a version another instance is writing. */
  @Test
  void reconcileWithAGraceKeepsAnotherInstancesWriteInProgress() throws InterruptedException {
    Document staged = archive.internals().catalog().stage(Fixtures.draft("c", "busy.txt", "text/plain"),
        Fixtures.chunks("being written elsewhere"));
    archive.internals().lexical().add(staged, archive.reader().chunks(staged.id(), staged.version()));
    archive.internals().lexical().commit();

    Archive.ReconcileReport report = archive.reconcile(java.time.Duration.ofMinutes(15));
    assertThat(report.unpublishedDiscarded()).isZero();
    assertThat(report.lexicalVersionsRemoved()).isZero();
    assertThat(archive.internals().lexical().versionKeys()).contains(staged.id() + ":" + staged.version());

    // the other instance publishes: searchable, chunks and all
    archive.internals().catalog().publish(staged.id(), staged.version());
    assertThat(bm25("written elsewhere", SearchFilter.all())).hasSize(1);

    // left by a crash: once older than the grace (here, none) it goes
    Document abandoned = archive.internals().catalog().stage(Fixtures.draft("c", "gone.txt", "text/plain"),
        Fixtures.chunks("abandoned words"));
    archive.internals().lexical().add(abandoned, archive.reader().chunks(abandoned.id(), abandoned.version()));
    archive.internals().lexical().commit();
    Thread.sleep(20);
    Archive.ReconcileReport later = archive.reconcile(java.time.Duration.ofMillis(10));
    assertThat(later.unpublishedDiscarded()).isEqualTo(1);
    assertThat(archive.internals().lexical().versionKeys()).doesNotContain(abandoned.id() + ":1");
  }

  @Test
  void reconcileRebuildsALostLexicalIndexFromTheCatalog() throws Exception {
    Document doc = archive.write(Fixtures.draft("c", "lost.txt", "text/plain"), Fixtures.chunks("rebuilt words"));
    archive.addVectors(doc, embedded(doc, 0));
    archive.internals().lexical().deleteDocument(doc.id());
    archive.internals().lexical().commit();
    assertThat(bm25("rebuilt", SearchFilter.all())).isEmpty();

    Archive.ReconcileReport report = archive.reconcile();
    assertThat(report.lexicalVersionsRebuilt()).isEqualTo(1);
    assertThat(bm25("rebuilt", SearchFilter.all())).hasSize(1);
  }

  @Test
  void writesSurviveAReopen() throws Exception {
    Document doc = archive.write(Fixtures.draft("c", "durable.txt", "text/plain"), Fixtures.chunks("durable words"));
    archive.addVectors(doc, embedded(doc, 3));
    archive.close();
    archive = open(DIM, "test-model");

    assertThat(archive.reconcile().isClean()).isTrue();
    assertThat(bm25("durable", SearchFilter.all())).hasSize(1);
    assertThat(archive.vectorSearch(new VectorQuery(Fixtures.vector(DIM, 3, 5), null, 1))).hasSize(1);
  }

  /**
   * Readers search while a writer replaces a document again and again. Every version's chunks all
   * contain "marker" and their version number, so a reader must always see exactly one complete
   * version: all its chunks, and nothing of another version.
   */
  @Test
  void concurrentReadersNeverSeeAMixOrAHalfWrittenVersion() throws Exception {
    int chunksPerVersion = 5;
    archive.write(Fixtures.draft("c", "hot.txt", "text/plain"), versionChunks(1, chunksPerVersion));
    int versions = 30;
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    List<Semaphore> reads = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      Semaphore readsOfThisReader = new Semaphore(0);
      reads.add(readsOfThisReader);
      Thread t = new Thread(() -> {
        try {
          while (!done.get()) {
            List<ScoredChunk> hits = bm25("marker", SearchFilter.collection("c"));
            Set<Integer> seen = new HashSet<>();
            hits.forEach(h -> seen.add(h.chunk().version()));
            if (seen.size() != 1 || hits.size() != chunksPerVersion) {
              violations.add("saw versions " + seen + " in " + hits.size() + " hits");
            }
            readsOfThisReader.release();
          }
        } catch (RuntimeException e) {
          violations.add("reader failed: " + e);
        }
      });
      t.start();
      readers.add(t);
    }
    try {
      for (int v = 2; v <= versions; v++) {
        reads.forEach(Semaphore::drainPermits);
        archive.write(Fixtures.draft("c", "hot.txt", "text/plain"), versionChunks(v, chunksPerVersion));
        // every reader finishes a read between two writes, however loaded the machine: the writes really race the reads
        for (Semaphore readsOfOne : reads) {
          assertThat(readsOfOne.tryAcquire(60, TimeUnit.SECONDS)).as("a read after version %d; %s", v, violations)
              .isTrue();
        }
      }
    } finally {
      done.set(true);
      for (Thread t : readers) {
        t.join();
      }
    }
    assertThat(violations).isEmpty();
    assertThat(archive.reader().findBySourcePath("c", "hot.txt").orElseThrow().version()).isEqualTo(versions);
  }

  private static List<Chunk> versionChunks(int version, int n) {
    String[] texts = new String[n];
    for (int i = 0; i < n; i++) {
      texts[i] = "marker version" + version + " part" + i;
    }
    return Fixtures.chunks(texts);
  }

  protected List<EmbeddedChunk> embedded(Document doc, int axisOffset) {
    List<EmbeddedChunk> out = new ArrayList<>();
    for (Chunk c : archive.reader().chunks(doc.id(), doc.version())) {
      out.add(new EmbeddedChunk(c, Fixtures.vector(DIM, axisOffset + c.ordinal(), c.ordinal())));
    }
    return out;
  }
}
