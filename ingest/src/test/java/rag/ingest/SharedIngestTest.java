package rag.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.ingest.chunk.Chunkers;
import rag.ingest.chunk.ChunkingConfig;
import rag.ingest.intake.Intake;
import rag.ingest.intake.IntakeLimits;
import rag.ingest.intake.Originals;
import rag.ingest.intake.Spool;
import rag.ingest.intake.Upload;
import rag.ingest.parse.Parser;
import rag.ingest.parse.TikaParser;
import rag.storage.Archive;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobFile;
import rag.storage.jobs.JobStore;
import rag.storage.model.Document;

/**
 * Ingest shared through the job store, as instances of the cluster backend share it: two "instances" on one archive,
 * each with its own data directory (spool scratch space, originals) and the uploads' bytes in the database. Files
 * accepted by one are ingested by whichever claims them, exactly once; a worker that dies holding a file leaves it
 * to another once its lease runs out, and one that is alive keeps its files by renewing.
 */
class SharedIngestTest {
  private static OnnxEmbedder embedder;

  @TempDir
  Path dir;

  private Archive archive;
  private final List<IngestService> started = new ArrayList<>();

  @BeforeAll
  static void loadModel() {
    embedder = new OnnxEmbedder(InProcessModel.ALL_MINILM_L6_V2_Q, 2);
  }

  @AfterAll
  static void closeModel() {
    embedder.close();
  }

  @BeforeEach
  void open() {
    archive = IngestFixture.openArchive(dir.resolve("catalog"), embedder);
  }

  @AfterEach
  void close() throws Exception {
    for (IngestService s : started) {
      s.close();
    }
    archive.close();
  }

  /** An instance named {@code name}: its own directory, the archive's job store and blobs shared. */
  private IngestService instance(String name, Parser parser, boolean ingests, Duration lease) {
    Path data = dir.resolve(name);
    Spool spool = new Spool(data.resolve("spool"), archive.blobs());
    IngestPipeline pipeline = IngestPipeline.builder(archive, spool).parser(parser)
        .chunker(Chunkers.byFormat(new ChunkingConfig(200, 20), JTokkitTokenCounter.cl100k())).embedder(embedder)
        .embedBatch(16).originals(originals(name)).fencedBy(name).build();
    IngestWorkers workers = new IngestWorkers(pipeline, 2, 100, 16, Duration.ZERO,
        new IngestWorkers.Sharing(archive.jobs(), name, lease, ingests));
    IngestService service = new IngestService(new Intake(spool, IntakeLimits.DEFAULT, archive.jobs()), workers,
        archive.jobs(), List.of());
    service.resume();
    started.add(service);
    return service;
  }

  private Originals originals(String name) {
    return new Originals(dir.resolve(name).resolve("originals"), archive.blobs());
  }

  private List<Upload> uploads(int n) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    List<Upload> uploads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      uploads.add(new Upload("note-" + i + ".txt", "notes", Files.writeString(src.resolve("note-" + i + ".txt"),
          "Note " + i + " about the river crossing number " + (i * 7919) + ".")));
    }
    return uploads;
  }

  private IngestJob awaitFinished(String jobId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      IngestJob job = archive.jobs().find(jobId).orElseThrow();
      // a fenced worker records a file's final state first and releases its upload after (IngestPipeline.finish)
      if (job.done() == job.files().size() && job.files().stream().allMatch(f -> f.spoolFile() == null)) {
        return job;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("job " + jobId + " unfinished after " + timeout + ": " + job.files());
      }
      Thread.sleep(50);
    }
  }

  private void assertIngestedOnce(IngestJob job) throws Exception {
    assertThat(job.state()).isEqualTo(IngestJob.State.SUCCEEDED);
    assertThat(job.files()).extracting(JobFile::status).containsOnly(FileStatus.DONE);
    assertThat(job.files()).extracting(JobFile::spoolFile).containsOnlyNulls();
    List<Document> docs = archive.reader().list("notes", 0, 1000);
    assertThat(docs).hasSize(job.files().size());
    assertThat(docs).extracting(Document::version).containsOnly(1);
    for (Document d : docs) {
      Path original = originals("reader").find(d.id()).orElseThrow();
      assertThat(original).as("the original of %s, read by any instance", d.sourcePath())
          .hasSameTextualContentAs(dir.resolve("src").resolve(d.sourceName()));
    }
    assertThat(archive.blobs().exists("spool/" + job.id() + "/0")).as("the upload's bytes are released").isFalse();
  }

  @Test
  void filesAcceptedByAnApiOnlyInstanceAreIngestedByAnotherExactlyOnce() throws Exception {
    IngestService api = instance("api", new TikaParser(), false, Duration.ofSeconds(30));
    Map<String, AtomicInteger> parsedBy = new ConcurrentHashMap<>();
    instance("worker-1", counting(parsedBy, "worker-1"), true, Duration.ofSeconds(30));
    instance("worker-2", counting(parsedBy, "worker-2"), true, Duration.ofSeconds(30));

    IngestJob job = api.submit("notes", uploads(40));
    assertThat(Files.list(dir.resolve("api/spool")).toList()).as("the bytes went to the database").isEmpty();
    IngestJob done = awaitFinished(job.id(), Duration.ofSeconds(120));

    assertIngestedOnce(done);
    assertThat(parsedBy.values().stream().mapToInt(AtomicInteger::get).sum()).as("each file parsed once")
        .isEqualTo(40);
    assertThat(api.workers().isIdle()).as("the api instance ingests nothing").isTrue();
  }

  @Test
  void aFileHeldByAWorkerThatDiedIsTakenOverWhenItsLeaseRunsOut() throws Exception {
    IngestService api = instance("api", new TikaParser(), false, Duration.ofSeconds(30));
    IngestJob job = api.submit("notes", uploads(3));
    // a worker claims everything, marks one file parsing, and dies: no heartbeat, no release
    List<JobStore.Claim> claimed = archive.jobs().claim("dead-worker", 10, Duration.ofSeconds(2));
    assertThat(claimed).hasSize(3);
    archive.jobs().update(claimed.get(1).file().with(FileStatus.PARSING));

    long started = System.nanoTime();
    instance("survivor", new TikaParser(), true, Duration.ofSeconds(2));
    IngestJob done = awaitFinished(job.id(), Duration.ofSeconds(60));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("taken over once the lease ran out, not before")
        .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    assertIngestedOnce(done);
  }

  @Test
  void aLiveWorkerKeepsItsFileByRenewingItsLease() throws Exception {
    IngestService api = instance("api", new TikaParser(), false, Duration.ofSeconds(30));
    Map<String, AtomicInteger> parsedBy = new ConcurrentHashMap<>();
    Parser slow = source -> {
      parsedBy.computeIfAbsent("slow", k -> new AtomicInteger()).incrementAndGet();
      try {
        Thread.sleep(3000); // five leases long
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new TikaParser().parse(source);
    };
    instance("slow", slow, true, Duration.ofMillis(600));
    IngestJob job = api.submit("notes", uploads(1));
    awaitStatus(job.id(), FileStatus.PARSING);
    instance("eager", counting(parsedBy, "eager"), true, Duration.ofMillis(600));

    IngestJob done = awaitFinished(job.id(), Duration.ofSeconds(60));
    assertIngestedOnce(done);
    assertThat(parsedBy).as("the eager worker never took the file").containsOnlyKeys("slow");
    assertThat(parsedBy.get("slow").get()).isEqualTo(1);
  }

  private void awaitStatus(String jobId, FileStatus status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (archive.jobs().find(jobId).orElseThrow().files().get(0).status() != status) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("file never reached " + status);
      }
      Thread.sleep(10);
    }
  }

  private static Parser counting(Map<String, AtomicInteger> parsedBy, String name) {
    TikaParser tika = new TikaParser();
    return source -> {
      parsedBy.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      return tika.parse(source);
    };
  }
}
