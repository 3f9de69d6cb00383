package rag.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
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
    assertThat(jobs.unfinishedJobs()).singleElement().satisfies(j -> {
      assertThat(j.kind()).isEqualTo(IngestJob.Kind.REINDEX);
      assertThat(j.files().get(0).outcome()).isEqualTo(FileOutcome.RE_INDEXED);
    });
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
