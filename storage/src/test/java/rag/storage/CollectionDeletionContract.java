package rag.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import rag.storage.catalog.CollectionDeletedException;
import rag.storage.jobs.FileError;
import rag.storage.jobs.FileOutcome;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobFile;
import rag.storage.jobs.JobStore;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.ChunkId;
import rag.storage.model.CollectionDeletion;
import rag.storage.model.CollectionStats;
import rag.storage.model.Document;
import rag.storage.model.ScoredChunk;
import rag.storage.model.SearchFilter;
import rag.storage.vector.VectorQuery;

/** Deleting a whole collection, on both backends; mixed into the archive contract through {@link #archive}. */
abstract class CollectionDeletionContract extends JobStoreContract {

  /** Writes a document of two chunks, both containing "marker" and the collection's name, with vectors. */
  private Document writeWithVectors(String collection, String path, int axis) {
    Document doc = archive.write(Fixtures.draft(collection, path, "text/plain"),
        Fixtures.chunks("marker " + collection + " " + path + " first", "marker " + collection + " " + path + " second"));
    assertThat(archive.addVectors(doc, embedded(doc, axis))).isTrue();
    return doc;
  }

  private List<ScoredChunk> bm25(String text) {
    return archive.lexicalSearch(new LexicalQuery(text, SearchFilter.all(), 500));
  }

  private List<ScoredChunk> nearestIn(String collection) {
    return archive.vectorSearch(new VectorQuery(Fixtures.vector(DIM, 0, 7), SearchFilter.collection(collection), 500));
  }

  private static Set<String> versionKeys(List<Document> docs) {
    Set<String> keys = new HashSet<>();
    docs.forEach(d -> keys.add(ChunkId.versionKey(d.id(), d.version())));
    return keys;
  }

  @Test
  void deletingACollectionRemovesItsDocumentsFromTheCatalogAndBothIndexes() {
    Document a = writeWithVectors("doomed", "a.txt", 0);
    Document b = writeWithVectors("doomed", "b.txt", 2);
    Document kept = writeWithVectors("kept", "k.txt", 4);

    CollectionDeletion deletion = archive.deleteCollection("doomed").orElseThrow();

    assertThat(deletion.collection()).isEqualTo("doomed");
    assertThat(deletion.documentIds()).containsExactlyInAnyOrder(a.id(), b.id());
    assertThat(archive.reader().collections()).extracting(CollectionStats::name).containsExactly("kept");
    assertThat(archive.reader().collection("doomed")).isEmpty();
    assertThat(archive.reader().list("doomed", 0, 10)).isEmpty();
    assertThat(archive.reader().find(a.id())).isEmpty();
    assertThat(archive.internals().catalog().findBySha256("doomed", a.sha256())).isEmpty();
    assertThat(bm25("marker")).extracting(h -> h.chunk().documentId()).containsOnly(kept.id());
    assertThat(nearestIn("doomed")).isEmpty();
    assertThat(archive.internals().lexical().versionKeys()).containsExactlyInAnyOrderElementsOf(versionKeys(List.of(kept)));
    assertThat(archive.internals().vectors().versionKeys()).containsExactlyInAnyOrderElementsOf(versionKeys(List.of(kept)));

    assertThat(archive.pendingDeletions()).containsExactly(deletion);
    archive.completeDeletion(deletion);
    assertThat(archive.pendingDeletions()).isEmpty();
    assertThat(archive.reader().chunks(a.id(), 1)).isEmpty();
    assertThat(archive.reader().chunks(b.id(), 1)).isEmpty();
    assertThat(archive.reader().chunks(kept.id())).hasSize(2);
    assertThat(archive.reconcile().isClean()).isTrue();

    assertThat(archive.deleteCollection("doomed")).isEmpty();
    assertThat(archive.deleteCollection("never-was")).isEmpty();
    archive.internals().catalog().ensureCollection("empty");
    assertThat(archive.deleteCollection("empty")).get().satisfies(d -> assertThat(d.documentIds()).isEmpty());
    assertThat(archive.reader().collections()).extracting(CollectionStats::name).containsExactly("kept");
  }

  /**
   * Readers search the whole archive (BM25, and kNN within the collection) and list the collection
   * while it is deleted. Each read must see all of its chunks or none: never some of its documents.
   */
  @Test
  void concurrentReadersSeeADeletedCollectionWholeOrNotAtAll() throws Exception {
    int documents = 40;
    Set<String> doomedIds = new HashSet<>();
    for (int i = 0; i < documents; i++) {
      doomedIds.add(writeWithVectors("doomed", "d" + i + ".txt", i).id());
    }
    for (int i = 0; i < 5; i++) {
      writeWithVectors("kept", "k" + i + ".txt", i);
    }
    int doomedChunks = 2 * documents;
    int keptChunks = 10;
    assertThat(nearestIn("doomed")).hasSize(doomedChunks);

    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean deleted = new AtomicBoolean();
    AtomicInteger readsAfterDeletion = new AtomicInteger();
    AtomicInteger sawWhole = new AtomicInteger();
    AtomicInteger sawNone = new AtomicInteger();
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    int readerCount = 3;
    CountDownLatch firstReads = new CountDownLatch(readerCount);
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < readerCount; r++) {
      Thread t = new Thread(() -> {
        while (!stop.get()) {
          boolean after = deleted.get();
          List<ScoredChunk> hits = bm25("marker");
          long doomed = hits.stream().filter(h -> doomedIds.contains(h.chunk().documentId())).count();
          if (doomed != 0 && doomed != doomedChunks || hits.size() - doomed != keptChunks) {
            violations.add("BM25 saw " + doomed + " chunks of the deleted collection and " + (hits.size() - doomed)
                + " of the other");
          }
          (doomed == 0 ? sawNone : sawWhole).incrementAndGet();
          int nearest = nearestIn("doomed").size();
          if (nearest != 0 && nearest != doomedChunks) {
            violations.add("kNN saw " + nearest + " chunks of the deleted collection");
          }
          int listed = archive.reader().list("doomed", 0, 1000).size();
          if (listed != 0 && listed != documents) {
            violations.add("the listing had " + listed + " documents of the deleted collection");
          }
          if (after && (doomed != 0 || nearest != 0 || listed != 0)) {
            violations.add("a read that began after the deletion returned saw the collection");
          }
          if (after) {
            readsAfterDeletion.incrementAndGet();
          }
          firstReads.countDown();
        }
      });
      t.start();
      readers.add(t);
    }
    firstReads.await();
    CollectionDeletion deletion = archive.deleteCollection("doomed").orElseThrow();
    deleted.set(true);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (readsAfterDeletion.get() < 3 * readerCount && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    stop.set(true);
    for (Thread t : readers) {
      t.join();
    }

    assertThat(violations).isEmpty();
    assertThat(sawWhole.get()).as("reads that saw the collection").isPositive();
    assertThat(sawNone.get()).as("reads that saw none of it").isPositive();
    assertThat(deletion.documentIds()).containsExactlyInAnyOrderElementsOf(doomedIds);
  }

  /** The deleting transaction committed, then the process died before anything else was done. */
  @Test
  void aCrashAfterTheDeletingTransactionIsRepairedAtTheNextStart() throws Exception {
    List<Document> doomed = List.of(writeWithVectors("doomed", "a.txt", 0), writeWithVectors("doomed", "b.txt", 1),
        writeWithVectors("doomed", "c.txt", 2));
    Document kept = writeWithVectors("kept", "k.txt", 3);
    Instant now = Instant.now();
    archive.jobs().create(new IngestJob("job-doomed", "doomed", now, now,
        List.of(JobFile.queued("job-doomed", 0, "d.txt", "d.txt", "job-doomed/0", 10, "sha-d"))));

    CollectionDeletion begun = archive.internals().catalog().deleteCollection("doomed").orElseThrow();
    archive.close();
    archive = open(DIM, "test-model");

    Archive.ReconcileReport report = archive.reconcile();
    assertThat(report.lexicalVersionsRemoved()).isEqualTo(3);
    assertThat(report.vectorVersionsRemoved()).isEqualTo(3);
    assertThat(report.unpublishedDiscarded()).isZero();
    assertThat(report.collectionDeletionsPending()).isEqualTo(1);
    assertThat(archive.reader().collections()).extracting(CollectionStats::name).containsExactly("kept");
    assertThat(bm25("marker")).extracting(h -> h.chunk().documentId()).containsOnly(kept.id());
    assertThat(nearestIn("doomed")).isEmpty();
    assertThat(archive.internals().lexical().versionKeys()).containsExactlyInAnyOrderElementsOf(versionKeys(List.of(kept)));
    assertThat(archive.internals().vectors().versionKeys()).containsExactlyInAnyOrderElementsOf(versionKeys(List.of(kept)));
    assertThat(archive.jobs().file("job-doomed", 0)).get().satisfies(f -> {
      assertThat(f.status()).isEqualTo(FileStatus.FAILED);
      assertThat(f.error().type()).isEqualTo("/problems/collection-deleted");
    });

    // what is left to remove outside the catalog is still known, then forgotten
    List<CollectionDeletion> pending = archive.pendingDeletions();
    assertThat(pending).containsExactly(begun);
    assertThat(pending.get(0).documentIds()).containsExactlyInAnyOrderElementsOf(
        doomed.stream().map(Document::id).toList());
    archive.completeDeletion(pending.get(0));
    assertThat(archive.pendingDeletions()).isEmpty();
    doomed.forEach(d -> assertThat(archive.reader().chunks(d.id(), d.version())).isEmpty());
    assertThat(archive.reconcile().isClean()).isTrue();
    assertThat(bm25("marker")).hasSize(2);
  }

  @Test
  void aVersionStagedBeforeItsCollectionWasDeletedIsNeverPublished() {
    archive.write(Fixtures.draft("doomed", "a.txt", "text/plain"), Fixtures.chunks("alpha"));
    Document staged = archive.internals().catalog().stage(Fixtures.draft("doomed", "b.txt", "text/plain"),
        Fixtures.chunks("beta"));

    CollectionDeletion deletion = archive.deleteCollection("doomed").orElseThrow();

    assertThat(deletion.documentIds()).contains(staged.id());
    assertThatThrownBy(() -> archive.internals().catalog().publish(staged.id(), staged.version()))
        .isInstanceOf(CollectionDeletedException.class).hasMessageContaining("'doomed' was deleted");
    assertThat(archive.reader().find(staged.id())).isEmpty();
    assertThat(archive.reader().collection("doomed")).isEmpty();
  }

  @Test
  void aFileCancelledByTheDeletionNeitherWritesIntoTheCollectionNorCreatesItAgain() {
    Document old = archive.write(Fixtures.draft("doomed", "a.txt", "text/plain"), Fixtures.chunks("alpha"));
    JobStore jobs = archive.jobs();
    Instant now = Instant.now();
    JobFile running = JobFile.queued("job-1", 0, "late.txt", "late.txt", "job-1/0", 10, "sha-late");
    JobFile finished = JobFile.queued("job-1", 1, "a.txt", "a.txt", null, 10, "sha-a")
        .withResult(FileStatus.DONE, old.id(), 1, 1L, FileOutcome.CREATED);
    jobs.create(new IngestJob("job-1", "doomed", now, now, List.of(running, finished)));
    jobs.create(new IngestJob("job-2", "kept", now, now,
        List.of(JobFile.queued("job-2", 0, "k.txt", "k.txt", "job-2/0", 10, "sha-k"))));
    assertThat(jobs.update(running.with(FileStatus.PARSING))).isTrue();

    archive.deleteCollection("doomed").orElseThrow();

    IngestJob job = jobs.find("job-1").orElseThrow();
    assertThat(job.files().get(0).status()).isEqualTo(FileStatus.FAILED);
    assertThat(job.files().get(0).error()).isEqualTo(FileError.collectionDeleted("doomed"));
    assertThat(job.files().get(0).error().detail()).contains("'doomed' was deleted");
    assertThat(job.files().get(1).status()).isEqualTo(FileStatus.DONE);
    assertThat(job.state()).isEqualTo(IngestJob.State.PARTIAL);
    assertThat(jobs.file("job-2", 0).orElseThrow().status()).isEqualTo(FileStatus.QUEUED);

    // the worker that had the file goes on: it can record nothing, write nothing, create nothing
    assertThat(jobs.update(running.withResult(FileStatus.SEARCHABLE, "x", 1, 1L, FileOutcome.CREATED))).isFalse();
    assertThat(jobs.file("job-1", 0).orElseThrow().status()).isEqualTo(FileStatus.FAILED);
    assertThatThrownBy(() -> archive.write(Fixtures.draft("doomed", "late.txt", "text/plain"),
        Fixtures.chunks("late words"), running.with(FileStatus.PARSING)))
        .isInstanceOf(CollectionDeletedException.class).hasMessageContaining("'doomed'");
    assertThat(archive.reader().collections()).isEmpty();
    assertThat(bm25("late")).isEmpty();
    assertThat(archive.internals().lexical().versionKeys()).isEmpty();

    // its spooled bytes are released by whoever holds the spool
    assertThat(jobs.finishedWithSpool()).extracting(JobFile::jobId, JobFile::seq)
        .containsExactly(Tuple.tuple("job-1", 0));
    jobs.spoolReleased("job-1", 0);
    assertThat(jobs.finishedWithSpool()).isEmpty();
    assertThat(jobs.file("job-1", 0).orElseThrow().status()).isEqualTo(FileStatus.FAILED);
  }

  /**
   * Small files are written in batches (one staging transaction, one refresh, one publishing transaction); a file of
   * the batch cancelled by a deletion fails alone, the others are published whole, and their statuses are recorded
   * together, except the cancelled file's.
   */
  @Test
  void aBatchOfWritesPublishesEachVersionAndACancelledFileFailsAlone() {
    Document replaced = archive.write(Fixtures.draft("kept", "b.txt", "text/plain"), Fixtures.chunks("old bravo"));
    JobStore jobs = archive.jobs();
    Instant now = Instant.now();
    List<JobFile> files = new ArrayList<>();
    for (String name : List.of("a.txt", "b.txt", "c.txt")) {
      files.add(JobFile.queued("job-k", files.size(), name, name, "job-k/" + files.size(), 10, "sha-" + name));
    }
    jobs.create(new IngestJob("job-k", "kept", now, now, files));
    JobFile doomed = JobFile.queued("job-d", 0, "d.txt", "d.txt", "job-d/0", 10, "sha-d");
    jobs.create(new IngestJob("job-d", "doomed", now, now, List.of(doomed)));
    archive.write(Fixtures.draft("doomed", "x.txt", "text/plain"), Fixtures.chunks("doomed words"));
    List<JobFile> parsing = new ArrayList<>(files.stream().map(f -> f.with(FileStatus.PARSING)).toList());
    parsing.add(doomed.with(FileStatus.PARSING));
    assertThat(jobs.updateAll(parsing)).containsExactly(true, true, true, true);
    archive.deleteCollection("doomed").orElseThrow();

    List<Archive.Written> written = archive.writeAll(List.of(
        new Archive.Write(Fixtures.draft("kept", "a.txt", "text/plain"), Fixtures.chunks("alpha words"), parsing.get(0)),
        new Archive.Write(Fixtures.draft("doomed", "d.txt", "text/plain"), Fixtures.chunks("delta words"),
            parsing.get(3)),
        new Archive.Write(Fixtures.draft("kept", "b.txt", "text/plain"), Fixtures.chunks("new bravo"), parsing.get(1)),
        new Archive.Write(Fixtures.draft("kept", "c.txt", "text/plain"), Fixtures.chunks("charlie", "words"),
            parsing.get(2))));

    assertThat(written.get(1).document()).isNull();
    assertThat(written.get(1).failure()).isInstanceOf(CollectionDeletedException.class);
    assertThat(List.of(written.get(0), written.get(2), written.get(3)))
        .allSatisfy(w -> assertThat(w.failure()).isNull())
        .extracting(w -> w.document().sourcePath(), w -> w.document().version(), w -> w.document().chunkCount())
        .containsExactly(Tuple.tuple("a.txt", 1, 1), Tuple.tuple("b.txt", 2, 1), Tuple.tuple("c.txt", 1, 2));
    assertThat(written.get(2).document().id()).isEqualTo(replaced.id());
    assertThat(bm25("words")).extracting(h -> archive.reader().find(h.chunk().documentId()).orElseThrow()
        .sourcePath()).containsExactlyInAnyOrder("a.txt", "c.txt");
    assertThat(bm25("bravo")).extracting(h -> h.chunk().text()).containsExactly("new bravo");
    assertThat(archive.internals().lexical().versionKeys()).containsExactlyInAnyOrder(
        written.get(0).document().id() + ":1", replaced.id() + ":2", written.get(3).document().id() + ":1");
    assertThat(archive.reader().collections()).extracting(CollectionStats::name).containsExactly("kept");

    List<JobFile> searchable = new ArrayList<>();
    for (Archive.Written w : List.of(written.get(0), written.get(2), written.get(3))) {
      Document d = w.document();
      JobFile file = parsing.stream().filter(f -> f.sourcePath().equals(d.sourcePath())).findFirst().orElseThrow();
      searchable.add(file.withResult(FileStatus.SEARCHABLE, d.id(), d.chunkCount(), d.tokenCount(),
          FileOutcome.CREATED));
    }
    searchable.add(parsing.get(3).withResult(FileStatus.SEARCHABLE, "x", 1, 1L, FileOutcome.CREATED));
    assertThat(jobs.updateAll(searchable)).containsExactly(true, true, true, false);
    assertThat(jobs.find("job-k").orElseThrow().files()).extracting(JobFile::status)
        .containsOnly(FileStatus.SEARCHABLE);
    assertThat(jobs.file("job-d", 0).orElseThrow().status()).isEqualTo(FileStatus.FAILED);
  }

  @Test
  void theNameIsFreeAtOnceAndCompletingTheOldDeletionLeavesTheNewCollectionAlone() {
    Document old = writeWithVectors("reused", "a.txt", 0);
    CollectionDeletion deletion = archive.deleteCollection("reused").orElseThrow();

    Document fresh = writeWithVectors("reused", "a.txt", 1);
    assertThat(fresh.id()).isNotEqualTo(old.id());
    assertThat(fresh.version()).isEqualTo(1);
    archive.completeDeletion(deletion);

    assertThat(archive.reader().collection("reused")).get().isEqualTo(new CollectionStats("reused", 1, 2,
        fresh.tokenCount(), archive.currentGeneration().id()));
    assertThat(bm25("marker")).extracting(h -> h.chunk().documentId()).containsOnly(fresh.id());
    assertThat(nearestIn("reused")).extracting(h -> h.chunk().documentId()).containsOnly(fresh.id());
    assertThat(archive.reconcile().isClean()).isTrue();
  }

  @Test
  void vectorsArrivingForADeletedCollectionAreNotKept() {
    Document doc = archive.write(Fixtures.draft("doomed", "v.txt", "text/plain"), Fixtures.chunks("one", "two"));
    var vectors = embedded(doc, 0);
    archive.deleteCollection("doomed").orElseThrow();

    assertThat(archive.addVectors(doc, vectors)).isFalse();
    assertThat(archive.internals().vectors().versionKeys()).isEmpty();
  }
}
