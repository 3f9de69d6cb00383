package rag.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.DocumentStatus;
import rag.storage.model.ScoredChunk;
import rag.storage.model.SearchFilter;
import rag.storage.vector.CollectionVectors;
import rag.storage.vector.EmbeddedChunk;
import rag.storage.vector.VectorGeneration;
import rag.storage.vector.VectorQuery;

/**
 * Vector generations on every backend: an archive opened with another embedding model opens, keeps each collection
 * on the vectors it has (searchable by BM25, and by kNN for questions of the old model) while the documents get
 * vectors of the new model, switches a collection at once when all of them have, then drops the old vectors.
 *
 * <p>Two "models" here: vectors of model A point along axis {@code ordinal}, vectors of model B along axis
 * {@code ordinal + 8}, so a search in one model's space never finds the other's vectors by accident.
 */
public abstract class ReindexContract {
  protected static final int DIM = 16;
  private static final String A = "model-a";
  private static final String B = "model-b";

  @TempDir
  protected Path dataDir;
  protected Archive archive;

  /** Opens the archive on the store of this test (the same store on every call within a test). */
  protected abstract Archive open(int dimension, String model);

  /** True when the store of the generation exists on disk or in the database. */
  protected abstract boolean storeExists(int generation);

  /**
   * Rewinds the closed archive to how the service kept it before generations: one vector store (folder
   * {@code vectors}, or table {@code chunk_vectors} with {@code vector_store_meta}) and no generations in the catalog.
   */
  protected abstract void rewindToBeforeGenerations(String model, int dimension) throws Exception;

  /**
   * Takes the closed archive's catalog back to schema version 6, as the release before V7 left it: on PostgreSQL the
   * vector store had created the vector extension and its generation tables itself.
   */
  protected abstract void rewindToVersion6() throws Exception;

  /** Takes a catalog back to schema version 4, before generations (the same SQL on both databases). */
  protected static void rewindCatalog(Statement s) throws SQLException {
    s.execute("DROP TABLE vector_generations");
    s.execute("DROP INDEX documents_vector_generation");
    s.execute("ALTER TABLE documents DROP COLUMN vector_generation");
    s.execute("ALTER TABLE collections DROP COLUMN vector_generation");
    s.execute("ALTER TABLE ingest_jobs DROP COLUMN kind");
    undoColumnMigrations(s);
    s.execute("DELETE FROM schema_version WHERE version >= 6");
  }

  /** Undoes the later migrations that add columns or tables, which cannot run twice (V14: ingest leases, blobs; V15). */
  protected static void undoColumnMigrations(Statement s) throws SQLException {
    s.execute("ALTER TABLE ingest_files DROP COLUMN lease_owner");
    s.execute("ALTER TABLE ingest_files DROP COLUMN lease_until");
    s.execute("DROP INDEX documents_staged_for");
    s.execute("ALTER TABLE documents DROP COLUMN staged_for");
    s.execute("DROP TABLE blobs");
    s.execute("DROP TABLE search_outbox");
    s.execute("DROP TABLE search_outbox_lease");
  }

  @AfterEach
  void closeArchive() throws Exception {
    if (archive != null) {
      archive.close();
      archive = null;
    }
  }

  private void reopen(int dimension, String model) throws Exception {
    archive.close();
    archive = open(dimension, model);
    archive.reconcile();
  }

  private List<Document> writeDocuments(String collection, int n) {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      docs.add(archive.write(Fixtures.draft(collection, "doc" + i + ".txt", "text/plain"),
          Fixtures.chunks("shared words of document " + i, "more text " + i)));
    }
    return docs;
  }

  /** Vectors of the document's chunks in the space of {@code model}, which must be the archive's current one. */
  private List<EmbeddedChunk> vectorsOf(Document doc, String model, int dimension) {
    List<EmbeddedChunk> out = new ArrayList<>();
    for (Chunk c : archive.reader().chunks(doc.id(), doc.version())) {
      out.add(new EmbeddedChunk(c, vector(model, dimension, doc, c.ordinal())));
    }
    return out;
  }

  private static float[] vector(String model, int dimension, Document doc, int ordinal) {
    int axis = (model.equals(A) ? 0 : 8) + ordinal;
    return Fixtures.vector(dimension, axis, doc.id().hashCode() * 31L + ordinal);
  }

  private List<ScoredChunk> knn(String model, int dimension, Document like, String collection) {
    return archive.vectorSearch(new VectorQuery(vector(model, dimension, like, 0), SearchFilter.collection(collection),
        10, model));
  }

  private static Set<String> documentsOf(List<ScoredChunk> hits) {
    Set<String> ids = new HashSet<>();
    hits.forEach(h -> ids.add(h.chunk().documentId()));
    return ids;
  }

  @Test
  void anotherModelOpensTheArchiveAndTheOldVectorsServeUntilEveryDocumentHasNewOnes() throws Exception {
    archive = open(DIM, A);
    List<Document> docs = writeDocuments("c", 3);
    Document other = writeDocuments("d", 1).get(0);
    for (Document d : docs) {
      archive.addVectors(d, vectorsOf(d, A, DIM));
    }
    archive.addVectors(other, vectorsOf(other, A, DIM));
    VectorGeneration a = archive.currentGeneration();

    reopen(DIM, B); // the same dimension: only the model name tells the vectors apart
    VectorGeneration b = archive.currentGeneration();
    assertThat(b.id()).isNotEqualTo(a.id());
    CollectionVectors state = archive.vectorState("c");
    assertThat(state.needsReindex()).isTrue();
    assertThat(state.searched()).isEqualTo(a);
    assertThat(state.current()).isEqualTo(b);
    assertThat(archive.vectorState(archive.reader().collection("c").orElseThrow())).isEqualTo(state);
    assertThat(archive.reader().find(docs.get(0).id()).orElseThrow().status()).isEqualTo(DocumentStatus.READY);
    assertThat(archive.lexicalSearch(new LexicalQuery("shared words", SearchFilter.collection("c"), 10))).hasSize(3);
    assertThat(knn(B, DIM, docs.get(0), "c")).as("questions of the new model: no vectors to compare with").isEmpty();
    assertThat(documentsOf(knn(A, DIM, docs.get(0), "c"))).hasSize(3);

    // the re-index gives documents vectors of B one by one; until the last, the collection searches A's
    assertThat(archive.internals().catalog().withoutVectorsIn("c", b.id())).hasSize(3);
    archive.addVectors(docs.get(0), vectorsOf(docs.get(0), B, DIM));
    assertThat(archive.switchOver("c")).isFalse();
    assertThat(archive.internals().catalog().withoutVectorsIn("c", b.id())).extracting(Document::id)
        .containsExactly(docs.get(1).id(), docs.get(2).id());
    assertThat(archive.vectorState("c").needsReindex()).isTrue();
    List<ScoredChunk> old = knn(A, DIM, docs.get(0), "c");
    assertThat(documentsOf(old)).hasSize(3);
    assertThat(old.get(0).chunk().documentId()).isEqualTo(docs.get(0).id());
    assertThat(old.get(0).score()).as("its old vector, not its new one").isGreaterThan(0.99f);
    assertThat(knn(B, DIM, docs.get(0), "c")).isEmpty();

    archive.addVectors(docs.get(1), vectorsOf(docs.get(1), B, DIM));
    archive.addVectors(docs.get(2), vectorsOf(docs.get(2), B, DIM));
    assertThat(archive.switchOver("c")).isTrue();
    assertThat(archive.vectorState("c").needsReindex()).isFalse();
    assertThat(archive.vectorState("c").searched()).isEqualTo(b);
    List<ScoredChunk> fresh = knn(B, DIM, docs.get(2), "c");
    assertThat(documentsOf(fresh)).hasSize(3);
    assertThat(fresh.get(0).chunk().documentId()).isEqualTo(docs.get(2).id());
    assertThat(fresh.get(0).score()).isGreaterThan(0.99f);
    assertThat(archive.vectorSearch(new VectorQuery(vector(B, DIM, docs.get(2), 0), SearchFilter.collection("c"), 10)))
        .as("a query without a model is the current model's").hasSameSizeAs(fresh);
    assertThat(knn(A, DIM, docs.get(0), "c")).isEmpty();
    // collection d still searches A: its old vectors stay, c's are gone
    assertThat(archive.vectorState("d").needsReindex()).isTrue();
    assertThat(documentsOf(knn(A, DIM, other, "d"))).containsExactly(other.id());
    assertThat(archive.generations().store(a.id()).orElseThrow().versionKeys())
        .containsExactly(other.id() + ":" + other.version());
    assertThat(storeExists(a.id())).isTrue();

    archive.addVectors(other, vectorsOf(other, B, DIM));
    assertThat(archive.switchOver("d")).isTrue();
    assertThat(archive.generations().store(a.id())).as("nothing uses A any more").isEmpty();
    assertThat(storeExists(a.id())).isFalse();
    assertThat(archive.internals().catalog().generationsInUse()).containsExactly(b.id());

    reopen(DIM, B);
    assertThat(archive.reconcile().isClean()).isTrue();
    assertThat(documentsOf(knn(B, DIM, docs.get(1), "c"))).hasSize(3);
  }

  @Test
  void anotherDimensionOpensTooAndSwitchesTheSameWay() throws Exception {
    archive = open(DIM, A);
    List<Document> docs = writeDocuments("c", 2);
    docs.forEach(d -> archive.addVectors(d, vectorsOf(d, A, DIM)));

    reopen(DIM * 2, B);
    assertThat(archive.vectorState("c").needsReindex()).isTrue();
    assertThat(archive.vectorState("c").searched().dimension()).isEqualTo(DIM);
    assertThat(documentsOf(knn(A, DIM, docs.get(0), "c"))).hasSize(2);
    assertThat(knn(B, DIM * 2, docs.get(0), "c")).isEmpty();

    docs.forEach(d -> archive.addVectors(d, vectorsOf(d, B, DIM * 2)));
    assertThat(archive.switchOver("c")).isTrue();
    assertThat(documentsOf(knn(B, DIM * 2, docs.get(1), "c"))).hasSize(2);
    assertThat(knn(A, DIM, docs.get(0), "c")).isEmpty();
    assertThat(archive.generations().open()).hasSize(1);
  }

  @Test
  void documentsAddedWhileACollectionNeedsReindexingWaitForTheSwitchAndCountTowardIt() throws Exception {
    archive = open(DIM, A);
    Document first = writeDocuments("c", 1).get(0);
    archive.addVectors(first, vectorsOf(first, A, DIM));
    reopen(DIM, B);

    Document added = archive.write(Fixtures.draft("c", "added.txt", "text/plain"), Fixtures.chunks("added text"));
    archive.addVectors(added, vectorsOf(added, B, DIM));
    assertThat(archive.switchOver("c")).isFalse();
    assertThat(documentsOf(knn(A, DIM, first, "c"))).as("the added document has no vectors of A")
        .containsExactly(first.id());
    assertThat(archive.internals().catalog().withoutVectorsIn("c", archive.currentGeneration().id())).extracting(Document::id)
        .containsExactly(first.id());

    // deleting the last document without vectors of B completes the collection
    archive.delete(first.id());
    assertThat(archive.vectorState("c").needsReindex()).isFalse();
    assertThat(documentsOf(knn(B, DIM, added, "c"))).containsExactly(added.id());
  }

  @Test
  void goingBackToTheOldModelMidReindexLosesNothing() throws Exception {
    archive = open(DIM, A);
    List<Document> docs = writeDocuments("c", 2);
    docs.forEach(d -> archive.addVectors(d, vectorsOf(d, A, DIM)));
    reopen(DIM, B);
    archive.addVectors(docs.get(0), vectorsOf(docs.get(0), B, DIM));

    reopen(DIM, A);
    assertThat(archive.vectorState("c").needsReindex()).isFalse();
    assertThat(documentsOf(knn(A, DIM, docs.get(0), "c"))).hasSize(2);
    assertThat(archive.reader().list("c", 0, 10)).extracting(Document::status).containsOnly(DocumentStatus.READY);
    assertThat(archive.reconcile().isClean()).isTrue();

    reopen(DIM, B);
    assertThat(archive.internals().catalog().withoutVectorsIn("c", archive.currentGeneration().id()))
        .as("the document re-embedded before kept its vectors of B").extracting(Document::id)
        .containsExactly(docs.get(1).id());
  }

  @Test
  void aCrashBeforeOrAfterTheSwitchIsFinishedAtTheNextOpen() throws Exception {
    archive = open(DIM, A);
    List<Document> docs = writeDocuments("c", 2);
    docs.forEach(d -> archive.addVectors(d, vectorsOf(d, A, DIM)));
    int a = archive.currentGeneration().id();
    reopen(DIM, B);
    // every document has vectors of B, but the process stopped before switching
    docs.forEach(d -> archive.addVectors(d, vectorsOf(d, B, DIM)));
    archive.close();
    archive = open(DIM, B);
    Archive.ReconcileReport report = archive.reconcile();
    assertThat(report.collectionsSwitched()).isEqualTo(1);
    assertThat(archive.vectorState("c").needsReindex()).isFalse();
    assertThat(storeExists(a)).isFalse();

    // a switch whose old vectors were not deleted yet
    reopen(DIM, A);
    docs.forEach(d -> archive.addVectors(d, vectorsOf(d, A, DIM)));
    int b = archive.vectorState("c").searched().id();
    assertThat(archive.internals().catalog().switchGeneration("c", archive.currentGeneration().id())).contains(b);
    archive.close();
    archive = open(DIM, A);
    archive.reconcile();
    assertThat(storeExists(b)).as("unused after the switch").isFalse();
    assertThat(documentsOf(knn(A, DIM, docs.get(1), "c"))).hasSize(2);
    assertThat(archive.reconcile().isClean()).isTrue();
  }

  /**
   * Readers search in both models' spaces while a writer gives the documents new vectors one by one and switches:
   * a search in the old space finds every document (old vectors) or nothing (after the switch), one in the new space
   * nothing or every document; never a part, never a mix.
   */
  @Test
  void concurrentSearchesNeverMixTheGenerations() throws Exception {
    archive = open(DIM, A);
    int n = 12;
    List<Document> docs = writeDocuments("c", n);
    docs.forEach(d -> archive.addVectors(d, vectorsOf(d, A, DIM)));
    reopen(DIM, B);

    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    Thread reader = new Thread(() -> {
      while (!done.get()) {
        try {
          readBothSpaces(docs, n, violations);
        } catch (RuntimeException | Error e) {
          violations.add("a search failed: " + e);
        }
        reads.incrementAndGet();
      }
    });
    reader.start();
    long deadline = System.nanoTime() + 60_000_000_000L;
    for (Document d : docs) {
      archive.addVectors(d, vectorsOf(d, B, DIM));
      archive.switchOver("c");
      int seen = reads.get();
      while (reads.get() < seen + 2 && System.nanoTime() < deadline) {
        Thread.sleep(1); // let the reader search between every two steps
      }
    }
    done.set(true);
    reader.join();
    assertThat(violations).isEmpty();
    assertThat(reads.get()).isGreaterThanOrEqualTo(2 * n);
    assertThat(archive.vectorState("c").needsReindex()).isFalse();
  }

  private void readBothSpaces(List<Document> docs, int n, ConcurrentLinkedQueue<String> violations) {
    boolean switched = !archive.vectorState("c").needsReindex();
    Set<String> old = documentsOf(archive.vectorSearch(new VectorQuery(vector(A, DIM, docs.get(0), 0),
        SearchFilter.collection("c"), 2 * n, A)));
    Set<String> fresh = documentsOf(archive.vectorSearch(new VectorQuery(vector(B, DIM, docs.get(0), 0),
        SearchFilter.collection("c"), 2 * n, B)));
    if (old.size() != 0 && old.size() != n || fresh.size() != 0 && fresh.size() != n) {
      violations.add("old space found " + old.size() + ", new space " + fresh.size() + " documents");
    }
    if (switched && !old.isEmpty()) {
      violations.add("the old space answered after the switch");
    }
  }

  @Test
  void anArchiveFromBeforeGenerationsKeepsItsVectorsAsTheFirstGeneration() throws Exception {
    archive = open(DIM, A);
    List<Document> docs = writeDocuments("c", 2);
    docs.forEach(d -> archive.addVectors(d, vectorsOf(d, A, DIM)));
    Document pending = archive.write(Fixtures.draft("e", "pending.txt", "text/plain"), Fixtures.chunks("no vectors"));
    archive.close();
    rewindToBeforeGenerations(A, DIM);

    archive = open(DIM, A);
    assertThat(archive.reconcile().isClean()).isTrue();
    assertThat(archive.currentGeneration()).isEqualTo(new VectorGeneration(1, A, DIM));
    assertThat(archive.vectorState("c").searched()).isEqualTo(archive.currentGeneration());
    assertThat(archive.vectorState("e").searched()).isNull();
    assertThat(documentsOf(knn(A, DIM, docs.get(0), "c"))).hasSize(2);
    assertThat(archive.reader().find(pending.id()).orElseThrow().status()).isEqualTo(DocumentStatus.SEARCHABLE);

    reopen(DIM, B);
    assertThat(archive.vectorState("c").needsReindex()).isTrue();
    assertThat(archive.vectorState("e").needsReindex()).isFalse();
    assertThat(documentsOf(knn(A, DIM, docs.get(1), "c"))).hasSize(2);
  }

  @Test
  void anArchiveMigratedBeforeTheVectorExtensionMigrationOpensWithItsVectors() throws Exception {
    archive = open(DIM, A);
    List<Document> docs = writeDocuments("c", 2);
    docs.forEach(d -> archive.addVectors(d, vectorsOf(d, A, DIM)));
    archive.close();
    rewindToVersion6();

    archive = open(DIM, A);
    assertThat(archive.reconcile().isClean()).isTrue();
    assertThat(archive.currentGeneration()).isEqualTo(new VectorGeneration(1, A, DIM));
    assertThat(archive.reader().find(docs.get(1).id()).orElseThrow().status()).isEqualTo(DocumentStatus.READY);
    assertThat(documentsOf(knn(A, DIM, docs.get(0), "c"))).hasSize(2);
  }
}
