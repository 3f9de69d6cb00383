package rag.storage.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * An accepted batch of files for one collection, or a batch of its documents to embed again. Its state follows from
 * its files' statuses.
 */
public record IngestJob(String id, String collection, Instant createdAt, Instant updatedAt, List<JobFile> files,
    Kind kind) {

  public enum State { QUEUED, RUNNING, SUCCEEDED, PARTIAL, FAILED }

  /**
   * What the job does: INGEST files that were accepted; REPAIR, embed documents whose vectors were lost (queued at
   * start); REINDEX, embed the documents of a collection with the configured model, which it then switches to.
   */
  public enum Kind {
    INGEST, REPAIR, REINDEX;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public IngestJob {
    files = List.copyOf(files);
    kind = kind == null ? Kind.INGEST : kind;
  }

  /** A job of accepted files. */
  public IngestJob(String id, String collection, Instant createdAt, Instant updatedAt, List<JobFile> files) {
    this(id, collection, createdAt, updatedAt, files, Kind.INGEST);
  }

  public State state() {
    long finished = files.stream().filter(f -> f.status().isFinal()).count();
    long failed = files.stream().filter(f -> f.status() == FileStatus.FAILED).count();
    if (finished < files.size()) {
      return finished == 0 && files.stream().allMatch(f -> f.status() == FileStatus.QUEUED)
          ? State.QUEUED : State.RUNNING;
    }
    if (failed == 0) {
      return State.SUCCEEDED;
    }
    return failed == files.size() ? State.FAILED : State.PARTIAL;
  }

  public long done() {
    return files.stream().filter(f -> f.status().isFinal()).count();
  }
}
