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
}
