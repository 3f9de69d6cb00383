package rag.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import rag.storage.blobs.BlobStore;
import rag.storage.embed.CachingEmbedder;
import rag.storage.embed.Embedder;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.jobs.FileError;
import rag.storage.jobs.FileOutcome;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobFile;
import rag.storage.jobs.JobStore;
import rag.storage.model.Chunk;
import rag.storage.model.Document;

/** Job bookkeeping on both backends; mixed into the archive contract through {@link #archive}. */
abstract class JobStoreContract extends ArchiveContract {

  @Test
  void jobsRecordFilesAndDeriveTheirState() {
    JobStore jobs = archive.jobs();
    Instant now = Instant.now();
    jobs.create(new IngestJob("job-1", "c", now, now, List.of(
        JobFile.queued("job-1", 0, "a.pdf", "a.pdf", "spool/job-1/0", 10, "sha-a"),
        JobFile.refused("job-1", 1, "b.exe", "b.exe", 5, new FileError("/problems/unsupported-type",
            "Unsupported file type", "application/x-msdownload is not a document")))));

    IngestJob job = jobs.find("job-1").orElseThrow();
    assertThat(job.state()).isEqualTo(IngestJob.State.RUNNING);
    assertThat(job.files()).extracting(JobFile::status).containsExactly(FileStatus.QUEUED, FileStatus.FAILED);
    assertThat(job.files().get(1).error().detail()).contains("not a document");
    assertThat(jobs.unfinishedJobs()).extracting(IngestJob::id).containsExactly("job-1");

    jobs.update(job.files().get(0).withResult(FileStatus.DONE, "doc-1", 3, 120L, FileOutcome.CREATED));
    IngestJob finished = jobs.find("job-1").orElseThrow();
    assertThat(finished.state()).isEqualTo(IngestJob.State.PARTIAL);
    assertThat(finished.done()).isEqualTo(2);
    assertThat(finished.files().get(0).chunks()).isEqualTo(3);
    assertThat(finished.files().get(0).tokens()).isEqualTo(120L);
    assertThat(jobs.unfinishedJobs()).isEmpty();
    assertThat(jobs.recent(10)).extracting(IngestJob::id).containsExactly("job-1");
    assertThat(jobs.find("nope")).isEmpty();
    assertThat(finished.kind()).isEqualTo(IngestJob.Kind.INGEST);

    jobs.create(new IngestJob("job-2", "c", now, now, List.of(new JobFile("job-2", 0, "a.pdf", "a.pdf", null, 10,
        "sha-a", FileStatus.SEARCHABLE, "doc-1", 3, 120L, FileOutcome.RE_INDEXED, null)), IngestJob.Kind.REINDEX));
    assertThat(jobs.find("job-2").orElseThrow().kind()).isEqualTo(IngestJob.Kind.REINDEX);
    assertThat(jobs.madeByAnotherFile("doc-1", new JobStore.FileKey("job-1", 0))).isTrue(); // job-2's file made it
    assertThat(jobs.madeByAnotherFile("doc-1", new JobStore.FileKey("job-9", 0))).isTrue();
    assertThat(jobs.madeByAnotherFile("doc-2", new JobStore.FileKey("job-9", 0))).isFalse();
    assertThat(jobs.files(List.of(new JobStore.FileKey("job-1", 0), new JobStore.FileKey("job-1", 1),
        new JobStore.FileKey("job-2", 0), new JobStore.FileKey("job-1", 7), new JobStore.FileKey("nope", 0))))
        .hasSize(3)
        .hasEntrySatisfying(new JobStore.FileKey("job-1", 0), f -> assertThat(f.status()).isEqualTo(FileStatus.DONE))
        .hasEntrySatisfying(new JobStore.FileKey("job-1", 1), f -> assertThat(f.name()).isEqualTo("b.exe"))
        .hasEntrySatisfying(new JobStore.FileKey("job-2", 0), f -> assertThat(f.status())
            .isEqualTo(FileStatus.SEARCHABLE));
    assertThat(jobs.unfinishedJobs()).singleElement().satisfies(j -> {
      assertThat(j.kind()).isEqualTo(IngestJob.Kind.REINDEX);
      assertThat(j.files().get(0).outcome()).isEqualTo(FileOutcome.RE_INDEXED);
    });
  }

  @Test
  void claimsGiveEachUnfinishedFileToOneWorkerUntilItsLeaseRunsOut() throws Exception {
    JobStore jobs = archive.jobs();
    Instant now = Instant.now();
    Duration minute = Duration.ofMinutes(1);
    jobs.create(new IngestJob("job-c", "c", now, now, List.of(
        JobFile.queued("job-c", 0, "a.txt", "a.txt", "job-c/0", 10, "sha-a"),
        JobFile.queued("job-c", 1, "b.txt", "b.txt", "job-c/1", 10, "sha-b"),
        JobFile.refused("job-c", 2, "c.exe", "c.exe", 5, new FileError("/problems/unsupported-type",
            "Unsupported file type", "not a document")))));
    assertThat(jobs.unfinishedFiles()).isEqualTo(2);

    List<JobStore.Claim> first = jobs.claim("node-a", 1, minute);
    assertThat(first).singleElement().satisfies(c -> {
      assertThat(c.collection()).isEqualTo("c");
      assertThat(c.file().seq()).isZero();
      assertThat(c.file().spoolFile()).isEqualTo("job-c/0");
    });
    assertThat(jobs.claim("node-b", 5, minute)).extracting(c -> c.file().seq()).containsExactly(1);
    assertThat(jobs.claim("node-c", 5, minute)).as("every unfinished file is held").isEmpty();

    assertThat(jobs.renewLeases("node-a", Duration.ofMillis(1))).containsExactly(new JobStore.FileKey("job-c", 0));
    Thread.sleep(20);
    assertThat(jobs.claim("node-c", 5, minute)).as("node-a stopped renewing: its file goes to the next worker")
        .extracting(c -> c.file().seq()).containsExactly(0);
    assertThat(jobs.renewLeases("node-a", minute)).as("node-a learns that it lost the file").isEmpty();

    JobFile b = jobs.file("job-c", 1).orElseThrow();
    jobs.update(b.withResult(FileStatus.DONE, "doc-b", 1, 3L, FileOutcome.CREATED));
    assertThat(jobs.renewLeases("node-b", minute)).as("a finished file is held by no one").isEmpty();
    assertThat(jobs.unfinishedFiles()).isEqualTo(1);

    jobs.releaseLeases("node-c"); // node-c stops gracefully
    assertThat(jobs.claim("node-d", 5, minute)).extracting(c -> c.file().seq()).containsExactly(0);
  }

  /**
   * Fencing: a worker's fenced store records a file's state only while that worker holds its lease, so a worker that
   * lost a file (paused beyond its lease, then taken over) cannot overwrite what the new holder records.
   */
  @Test
  void aFencedStoreRecordsOnlyWhileItsWorkerHoldsTheLease() throws Exception {
    JobStore jobs = archive.jobs();
    Instant now = Instant.now();
    jobs.create(new IngestJob("job-f", "c", now, now, List.of(
        JobFile.queued("job-f", 0, "a.txt", "a.txt", "job-f/0", 10, "sha-a"))));
    JobStore nodeA = jobs.fencedBy("node-a");
    JobStore nodeB = jobs.fencedBy("node-b");
    JobFile file = jobs.file("job-f", 0).orElseThrow();
    assertThat(nodeA.update(file.with(FileStatus.PARSING))).as("claimed by no one yet").isFalse();

    assertThat(jobs.claim("node-a", 1, Duration.ofMillis(1))).hasSize(1);
    assertThat(nodeA.update(file.with(FileStatus.PARSING))).as("node-a holds it").isTrue();
    assertThat(nodeB.update(file.with(FileStatus.FAILED))).as("node-b does not").isFalse();
    Thread.sleep(20);
    assertThat(nodeA.update(file.with(FileStatus.PARSING))).as("a lease run out, not yet taken over").isTrue();

    assertThat(jobs.claim("node-b", 1, Duration.ofMinutes(1))).hasSize(1);
    assertThat(nodeA.updateAll(List.of(file.failed(new FileError("/problems/x", "X", "paused too long")))))
        .as("node-a lost it to node-b").containsExactly(false);
    assertThat(nodeB.update(file.withResult(FileStatus.DONE, "doc-a", 1, 3L, FileOutcome.CREATED))).isTrue();
    assertThat(jobs.file("job-f", 0).orElseThrow().status()).isEqualTo(FileStatus.DONE);
    assertThat(jobs.update(file.with(FileStatus.PARSING))).as("final: refused unfenced too").isFalse();
  }

  /**
   * A worker that died after staging a file's version (its lease ran out) leaves that version unpublished; the worker
   * that takes the file over stages the same version number in its place, so the first upload is still version 1.
   */
  @Test
  void aVersionStagedForAFileByAWorkerThatDiedIsTakenOverUnderItsNumber() {
    Instant now = Instant.now();
    JobFile file = JobFile.queued("job-t", 0, "t.txt", "t.txt", "job-t/0", 10, "sha-t");
    archive.jobs().create(new IngestJob("job-t", "c", now, now, List.of(file)));
    Document left = archive.internals().catalog().stage(Fixtures.draft("c", "t.txt", "text/plain"),
        Fixtures.chunks("half written words"), file);
    assertThat(left.version()).isEqualTo(1);

    Document written = archive.write(Fixtures.draft("c", "t.txt", "text/plain"),
        Fixtures.chunks("taken over words"), file);
    assertThat(written.id()).isEqualTo(left.id());
    assertThat(written.version()).isEqualTo(1);
    assertThat(archive.internals().catalog().unpublishedVersionKeys()).isEmpty();
    assertThat(archive.reader().chunks(written.id())).extracting(Chunk::text).containsExactly("taken over words");

    Document next = archive.write(Fixtures.draft("c", "t.txt", "text/plain"), Fixtures.chunks("a new upload"));
    assertThat(next.version()).as("a later upload of the path is a new version as before").isEqualTo(2);
  }

  @Test
  void workersClaimingAtOnceNeverGetTheSameFile() throws Exception {
    JobStore jobs = archive.jobs();
    Instant now = Instant.now();
    List<JobFile> files = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      files.add(JobFile.queued("job-many", i, i + ".txt", i + ".txt", "job-many/" + i, 10, "sha-" + i));
    }
    jobs.create(new IngestJob("job-many", "c", now, now, files));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Integer>>> claimed = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        String owner = "node-" + w;
        claimed.add(pool.submit(() -> {
          List<Integer> mine = new ArrayList<>();
          for (List<JobStore.Claim> got = jobs.claim(owner, 3, Duration.ofMinutes(1)); !got.isEmpty();
              got = jobs.claim(owner, 3, Duration.ofMinutes(1))) {
            got.forEach(c -> mine.add(c.file().seq()));
          }
          return mine;
        }));
      }
      List<Integer> all = new ArrayList<>();
      for (Future<List<Integer>> f : claimed) {
        all.addAll(f.get(60, TimeUnit.SECONDS));
      }
      assertThat(all).hasSize(60).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void blobsKeepBytesInPartsThatEveryInstanceReads() throws Exception {
    BlobStore blobs = archive.blobs();
    byte[] bytes = new byte[(int) (2.5 * (1 << 20))];
    new Random(7).nextBytes(bytes);
    Path file = Files.write(dataDir.resolve("upload.bin"), bytes);
    blobs.put("spool/job-1/0", file);
    blobs.put("spool/job-1/1", Files.write(dataDir.resolve("empty.bin"), new byte[0]));
    blobs.put("spool/job_2/0", file);

    Path copy = dataDir.resolve("copy.bin");
    assertThat(blobs.copyTo("spool/job-1/0", copy)).isTrue();
    assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);
    assertThat(blobs.copyTo("spool/job-1/1", copy)).isTrue();
    assertThat(Files.size(copy)).isZero();
    assertThat(blobs.copyTo("spool/job-1/9", copy)).isFalse();
    assertThat(copy).as("nothing written for a missing blob").exists().isEmptyFile();

    assertThat(blobs.rename("spool/job-1/0", "original/doc-1")).isTrue();
    assertThat(blobs.exists("spool/job-1/0")).isFalse();
    assertThat(blobs.copyTo("original/doc-1", copy)).isTrue();
    assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);
    assertThat(blobs.rename("spool/job-1/0", "original/doc-1")).isFalse();

    assertThat(blobs.deletePrefix("spool/job-1/")).as("the LIKE wildcard _ in job_2 is matched literally")
        .isEqualTo(1);
    assertThat(blobs.exists("spool/job-1/1")).isFalse();
    assertThat(blobs.exists("spool/job_2/0")).isTrue();
    blobs.delete("original/doc-1");
    blobs.delete("original/doc-1");
    assertThat(blobs.exists("original/doc-1")).isFalse();

    // an upload stored for a job that was never recorded goes once it is old enough; one a file names stays
    Instant now = Instant.now();
    archive.jobs().create(new IngestJob("job-k", "c", now, now, List.of(
        JobFile.queued("job-k", 0, "k.txt", "k.txt", "job-k/0", 10, "sha-k"))));
    blobs.put("spool/job-k/0", file);
    assertThat(archive.jobs().discardUploadsWithoutFile(now.minusSeconds(60))).as("too young").isZero();
    assertThat(archive.jobs().discardUploadsWithoutFile(now.plusSeconds(60))).as("job_2's three parts").isEqualTo(3);
    assertThat(blobs.exists("spool/job_2/0")).isFalse();
    assertThat(blobs.exists("spool/job-k/0")).isTrue();
  }

  /** The real model, recording which texts it is asked to embed; the cache must spare it the ones seen before. */
  private static final class CountingEmbedder implements Embedder {
    final OnnxEmbedder model =
        new OnnxEmbedder(InProcessModel.ALL_MINILM_L6_V2_Q, 2);
    final List<String> seen = new ArrayList<>();

    @Override
    public List<float[]> embed(List<String> texts) {
      seen.addAll(texts);
      return model.embed(texts);
    }

    @Override
    public int dimension() {
      return model.dimension();
    }

    @Override
    public String modelName() {
      return model.modelName();
    }
  }

  @Test
  void embeddingCacheEmbedsEachTextOncePerModel() {
    CountingEmbedder counting = new CountingEmbedder();
    var cached = new CachingEmbedder(counting, archive.embeddingCache());
    List<float[]> first = cached.embed(List.of("alpha", "beta", "alpha"));
    List<float[]> second = cached.embed(List.of("beta", "gamma"));

    assertThat(counting.seen).containsExactly("alpha", "beta", "gamma");
    assertThat(first.get(0)).containsExactly(first.get(2));
    assertThat(second.get(0)).containsExactly(first.get(1));
    assertThat(second.get(1)).containsExactly(counting.model.embed(List.of("gamma")).get(0));
    counting.model.close();
  }

  /** The same served model name with fewer dimensions (a server truncating its vectors), over the same model. */
  private static final class Truncating implements Embedder {
    final CountingEmbedder full;
    final List<String> seen = new ArrayList<>();

    Truncating(CountingEmbedder full) {
      this.full = full;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      seen.addAll(texts);
      return full.model.embed(texts).stream().map(v -> Arrays.copyOf(v, dimension())).toList();
    }

    @Override
    public int dimension() {
      return 16;
    }

    @Override
    public String modelName() {
      return full.modelName();
    }
  }

  @Test
  void cachedVectorsOfAnotherDimensionAreEmbeddedAgain() {
    CountingEmbedder counting = new CountingEmbedder();
    Truncating truncating = new Truncating(counting);
    var full = new CachingEmbedder(counting, archive.embeddingCache());
    var small = new CachingEmbedder(truncating, archive.embeddingCache());

    assertThat(full.embed(List.of("alpha")).get(0)).hasSize(counting.dimension());
    assertThat(small.embed(List.of("alpha")).get(0)).hasSize(16);
    assertThat(truncating.seen).containsExactly("alpha");
    assertThat(small.embed(List.of("alpha")).get(0)).hasSize(16);
    assertThat(truncating.seen).as("cached at its own size now").containsExactly("alpha");
    assertThat(full.embed(List.of("alpha")).get(0)).hasSize(counting.dimension());
    assertThat(counting.seen).containsExactly("alpha", "alpha");
    counting.model.close();
  }
}
