package rag.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import rag.storage.jobs.FileError;
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

    jobs.update(job.files().get(0).withResult(FileStatus.DONE, "doc-1", 3, 120L, "created"));
    IngestJob finished = jobs.find("job-1").orElseThrow();
    assertThat(finished.state()).isEqualTo(IngestJob.State.PARTIAL);
    assertThat(finished.done()).isEqualTo(2);
    assertThat(finished.files().get(0).chunks()).isEqualTo(3);
    assertThat(finished.files().get(0).tokens()).isEqualTo(120L);
    assertThat(jobs.unfinishedJobs()).isEmpty();
    assertThat(jobs.recent(10)).extracting(IngestJob::id).containsExactly("job-1");
    assertThat(jobs.find("nope")).isEmpty();
  }

  /** The real model, recording which texts it is asked to embed; the cache must spare it the ones seen before. */
  private static final class CountingEmbedder implements rag.storage.embed.Embedder {
    final rag.storage.embed.OnnxEmbedder model =
        new rag.storage.embed.OnnxEmbedder(rag.storage.embed.InProcessModel.ALL_MINILM_L6_V2_Q, 2);
    final java.util.List<String> seen = new java.util.ArrayList<>();

    @Override
    public java.util.List<float[]> embed(java.util.List<String> texts) {
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
    var cached = new rag.storage.embed.CachingEmbedder(counting, archive.embeddingCache());
    java.util.List<float[]> first = cached.embed(List.of("alpha", "beta", "alpha"));
    java.util.List<float[]> second = cached.embed(List.of("beta", "gamma"));

    assertThat(counting.seen).containsExactly("alpha", "beta", "gamma");
    assertThat(first.get(0)).containsExactly(first.get(2));
    assertThat(second.get(0)).containsExactly(first.get(1));
    assertThat(second.get(1)).containsExactly(counting.model.embed(List.of("gamma")).get(0));
    counting.model.close();
  }
}
