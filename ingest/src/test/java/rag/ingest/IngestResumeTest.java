package rag.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.ingest.chunk.Chunkers;
import rag.ingest.chunk.ChunkingConfig;
import rag.ingest.intake.Intake;
import rag.ingest.intake.IntakeLimits;
import rag.ingest.intake.Spool;
import rag.ingest.intake.Upload;
import rag.ingest.parse.FailureKind;
import rag.ingest.parse.ParseFailure;
import rag.ingest.parse.Parser;
import rag.storage.Archive;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.jobs.FileOutcome;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobFile;
import rag.storage.model.DocumentStatus;

/**
 * Accepted files survive a stop at any point: the archive is closed with work unfinished, then a
 * new service on the same data directory resumes, and every file is ingested exactly once.
 */
class IngestResumeTest {
  private static OnnxEmbedder embedder;

  @TempDir
  Path dir;

  @BeforeAll
  static void loadModel() {
    embedder = new OnnxEmbedder(InProcessModel.ALL_MINILM_L6_V2_Q, 2);
  }

  @AfterAll
  static void closeModel() {
    embedder.close();
  }

  private Archive openArchive() {
    return IngestFixture.openArchive(dir.resolve("data"), embedder);
  }

  private IngestService service(Archive archive, int capacity) {
    return IngestFixture.service(dir.resolve("data"), archive, embedder, capacity, 16);
  }

  private List<Upload> uploads() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    return List.of(
        new Upload("a.txt", "notes", Files.writeString(src.resolve("a.txt"), "Alpha notes about the river.")),
        new Upload("b.md", "notes", Files.writeString(src.resolve("b.md"), "# Beta\n\nBeta text on mountains.")),
        new Upload("C.java", "src", Files.writeString(src.resolve("C.java"),
            "class C {\n  int gammaValue() {\n    return 3;\n  }\n}\n")));
  }

  private static void awaitIdle(IngestService service) throws InterruptedException {
    IngestFixture.awaitIdle(service, Duration.ofSeconds(60));
  }

  @Test
  void unfinishedFilesAreResumedAfterAStopAndIngestedOnce() throws Exception {
    String jobId;
    // 1. accept while no worker runs, and leave one file half-way (status parsing) as a crash would
    Archive first = openArchive();
    Intake intake = new Intake(new Spool(dir.resolve("data/spool")), IntakeLimits.DEFAULT, first.jobs());
    IngestJob job = intake.accept("docs", uploads());
    jobId = job.id();
    first.jobs().update(job.files().get(1).with(FileStatus.PARSING));
    first.close();

    // 2. a new service on the same data resumes and finishes everything
    try (Archive archive = openArchive(); IngestService service = service(archive, 100)) {
      assertThat(service.resume()).isEqualTo(3);
      awaitIdle(service);
      IngestJob done = archive.jobs().find(jobId).orElseThrow();
      assertThat(done.state()).isEqualTo(IngestJob.State.SUCCEEDED);
      assertThat(done.files()).extracting(JobFile::status).containsOnly(FileStatus.DONE);
      assertThat(done.files()).extracting(JobFile::spoolFile).containsOnlyNulls();
      assertThat(archive.reader().collection("docs").orElseThrow().documentCount()).isEqualTo(3);
      assertThat(archive.reader().list("docs", 0, 10)).extracting(d -> d.status())
          .containsOnly(DocumentStatus.READY);
      assertThat(archive.reader().findBySourcePath("docs", "src/C.java").orElseThrow().mediaType())
          .contains("java");
      assertThat(Files.list(dir.resolve("data/spool")).toList()).isEmpty();
      for (var d : archive.reader().list("docs", 0, 10)) {
        assertThat(dir.resolve("data/originals").resolve(d.id())).as("original of %s", d.sourcePath())
            .hasSameBinaryContentAs(dir.resolve("src").resolve(d.sourceName()));
      }
    }
  }

  @Test
  void aShutdownThatInterruptsAParseLeavesTheFileForTheNextStartInsteadOfFailingIt() throws Exception {
    String jobId;
    CountDownLatch parsing = new CountDownLatch(1);
    // a parse that outlasts the shutdown's grace period and, interrupted, fails as TimeLimit makes it fail
    Parser slow = source -> {
      parsing.countDown();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ParseFailure(FailureKind.TIMEOUT, "parsing was interrupted", e);
      }
      throw new AssertionError("not interrupted");
    };
    try (Archive archive = openArchive()) {
      IngestPipeline pipeline = IngestPipeline.builder(archive, new Spool(dir.resolve("data/spool"))).parser(slow)
          .chunker(Chunkers.byFormat(new ChunkingConfig(200, 20), JTokkitTokenCounter.cl100k())).embedder(embedder)
          .embedBatch(16).build();
      IngestWorkers workers = new IngestWorkers(pipeline, 1, 100, 16);
      IngestService service = new IngestService(IngestFixture.intake(dir.resolve("data"), archive), workers,
          archive.jobs(), List.of());
      jobId = service.submit("docs", uploads().subList(0, 1)).id();
      assertThat(parsing.await(30, TimeUnit.SECONDS)).isTrue();
      workers.close(Duration.ofMillis(200));
      JobFile left = archive.jobs().find(jobId).orElseThrow().files().get(0);
      assertThat(left.status()).as("an accepted file is not failed by a shutdown").isEqualTo(FileStatus.PARSING);
      assertThat(left.error()).isNull();
    }
    try (Archive archive = openArchive(); IngestService service = service(archive, 100)) {
      assertThat(service.resume()).isEqualTo(1);
      awaitIdle(service);
      assertThat(archive.jobs().find(jobId).orElseThrow().files().get(0).status()).isEqualTo(FileStatus.DONE);
    }
  }

  @Test
  void aFileRedoneAfterItsDocumentWasPublishedCreatesNothingNew() throws Exception {
    try (Archive archive = openArchive(); IngestService service = service(archive, 100)) {
      IngestJob job = service.submit("docs", uploads().subList(0, 1));
      awaitIdle(service);
      JobFile done = archive.jobs().find(job.id()).orElseThrow().files().get(0);
      assertThat(done.status()).isEqualTo(FileStatus.DONE);
      // a crash after publishing but before the job recorded it: the file is redone from the start
      IngestJob again = service.submit("docs", uploads().subList(0, 1));
      awaitIdle(service);
      JobFile redone = archive.jobs().find(again.id()).orElseThrow().files().get(0);
      assertThat(redone.status()).isEqualTo(FileStatus.UNCHANGED);
      assertThat(redone.documentId()).isEqualTo(done.documentId());
      assertThat(archive.reader().collection("docs").orElseThrow().documentCount()).isEqualTo(1);
    }
  }

  @Test
  void aFileLeftParsingAfterItsDocumentWasPublishedStillGetsItsVectors() throws Exception {
    String jobId;
    // 1. a crash after the document was published (searchable, no vectors yet) but before the job recorded it
    try (Archive first = openArchive()) {
      IngestJob job = IngestFixture.intake(dir.resolve("data"), first).accept("docs", uploads().subList(0, 1));
      jobId = job.id();
      JobFile parsing = job.files().get(0).with(FileStatus.PARSING);
      JobFile searchable = IngestFixture.pipeline(dir.resolve("data"), first, embedder, 16)
          .makeSearchable("docs", parsing);
      assertThat(searchable.status()).isEqualTo(FileStatus.SEARCHABLE);
      first.jobs().update(parsing);
    }

    // 2. the redone file finds its document published and embeds it, rather than calling it unchanged
    try (Archive archive = openArchive(); IngestService service = service(archive, 100)) {
      assertThat(service.resume()).isEqualTo(1);
      awaitIdle(service);
      JobFile done = archive.jobs().find(jobId).orElseThrow().files().get(0);
      assertThat(done.status()).isEqualTo(FileStatus.DONE);
      assertThat(done.outcome()).isEqualTo(FileOutcome.CREATED);
      var doc = archive.reader().find(done.documentId()).orElseThrow();
      assertThat(doc.status()).isEqualTo(DocumentStatus.READY);
      assertThat(archive.internals().vectors().vectorCount()).isEqualTo(doc.chunkCount());
      assertThat(archive.jobs().recent(10)).as("no other job").hasSize(1);
    }
  }

  @Test
  void documentsWhoseVectorsWereLostAreEmbeddedAgainByARepairJob() throws Exception {
    long chunks;
    try (Archive archive = openArchive(); IngestService service = service(archive, 100)) {
      service.submit("docs", uploads());
      awaitIdle(service);
      chunks = archive.internals().vectors().vectorCount();
      var lost = archive.reader().findBySourcePath("docs", "notes/b.md").orElseThrow();
      archive.internals().vectors().deleteDocument(lost.id()); // as if the vector index had lost this document
    }

    try (Archive archive = openArchive(); IngestService service = service(archive, 100)) {
      var lost = archive.reader().findBySourcePath("docs", "notes/b.md").orElseThrow();
      assertThat(lost.status()).as("reconciled at open").isEqualTo(DocumentStatus.SEARCHABLE);
      assertThat(service.resume()).isEqualTo(1);
      awaitIdle(service);
      assertThat(archive.reader().list("docs", 0, 10)).extracting(d -> d.status())
          .containsOnly(DocumentStatus.READY);
      assertThat(archive.internals().vectors().vectorCount()).isEqualTo(chunks);
      IngestJob repair = archive.jobs().recent(1).get(0);
      assertThat(repair.state()).isEqualTo(IngestJob.State.SUCCEEDED);
      assertThat(repair.files()).singleElement().satisfies(f -> {
        assertThat(f.documentId()).isEqualTo(lost.id());
        assertThat(f.outcome()).isEqualTo(FileOutcome.RE_EMBEDDED);
        assertThat(f.status()).isEqualTo(FileStatus.DONE);
      });
    }

    try (Archive archive = openArchive(); IngestService service = service(archive, 100)) {
      assertThat(service.resume()).as("nothing owed after the repair").isZero();
    }
  }

  @Test
  void aFullQueueRefusesNewUploads() throws Exception {
    try (Archive archive = openArchive(); IngestService service = service(archive, 1)) {
      service.workers().close(); // nothing drains the queue now
      service.submit("docs", uploads().subList(0, 1));
      assertThat(service.workers().hasCapacity()).isFalse();
      assertThatThrownBy(() -> service.submit("docs", uploads().subList(1, 2)))
          .isInstanceOf(IngestService.QueueFullException.class).hasMessageContaining("retry later");
    }
  }

  @Test
  void anUploadTakesRoomForAllItsFilesOrNone() throws Exception {
    try (Archive archive = openArchive(); IngestService service = service(archive, 3)) {
      service.workers().close(); // nothing drains the queue now
      IngestJob first = service.submit("docs", uploads().subList(0, 2));
      assertThat(service.workers().pending()).isEqualTo(2);

      assertThatThrownBy(() -> service.submit("docs", uploads().subList(0, 2)))
          .isInstanceOf(IngestService.QueueFullException.class)
          .hasMessageContaining("cannot take the upload's 2 files now (2 of 3 waiting)");
      assertThat(service.workers().pending()).as("the bound holds: no part of the job went in").isEqualTo(2);
      assertThat(archive.jobs().recent(10)).extracting(IngestJob::id).containsExactly(first.id());
      try (var spooled = Files.walk(dir.resolve("data/spool"))) {
        assertThat(spooled.filter(Files::isRegularFile).count()).as("the refused job's bytes are gone").isEqualTo(2);
      }

      service.submit("docs", uploads().subList(2, 3));
      assertThat(service.workers().pending()).isEqualTo(3);
    }
    try (Archive archive = openArchive(); IngestService service = service(archive, 2)) {
      service.workers().close();
      assertThatThrownBy(() -> service.submit("docs", uploads()))
          .isInstanceOf(IngestService.QueueFullException.class)
          .hasMessageContaining("holds 3 files, more than the ingest queue takes at once (2");
    }
  }

  @Test
  void foldersOutsideTheAllowedRootsAreRefused() throws Exception {
    try (Archive archive = openArchive(); IngestService service = service(archive, 10)) {
      assertThatThrownBy(() -> service.submitFolder("docs", Path.of("/etc")))
          .isInstanceOf(IngestService.ForbiddenPathException.class).hasMessageContaining("allowed-roots");
    }
  }
}
