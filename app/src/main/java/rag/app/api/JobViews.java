package rag.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import rag.storage.jobs.FileError;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobFile;

/** JSON shapes of ingest jobs. */
public final class JobViews {
  private JobViews() {}

  public record Progress(long done, long total) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FileView(String name, String sourcePath, String status, String documentId, String outcome,
      Integer chunks, Long tokens, FileError error) {
    static FileView of(JobFile f) {
      return new FileView(f.name(), f.sourcePath(), f.status().wireName(), f.documentId(),
          f.outcome() == null ? null : f.outcome().wireName(), f.chunks(), f.tokens(), f.error());
    }
  }

  /** {@code kind}: {@code ingest} (uploaded files), {@code repair} (lost vectors) or {@code reindex}. */
  public record JobView(String jobId, String collection, String kind, String state, Progress progress,
      Instant createdAt, Instant updatedAt, List<FileView> files) {
    static JobView of(IngestJob job) {
      return new JobView(job.id(), job.collection(), job.kind().wireName(),
          job.state().name().toLowerCase(Locale.ROOT), new Progress(job.done(), job.files().size()),
          job.createdAt(), job.updatedAt(), job.files().stream().map(FileView::of).toList());
    }
  }

  public record IngestPathRequest(String path) {}
}
