package rag.storage.jobs;

import java.time.Instant;
import java.util.List;

/** An accepted batch of files for one collection. Its state follows from its files' statuses. */
public record IngestJob(String id, String collection, Instant createdAt, Instant updatedAt, List<JobFile> files) {

  public enum State { QUEUED, RUNNING, SUCCEEDED, PARTIAL, FAILED }

  public IngestJob {
    files = List.copyOf(files);
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
