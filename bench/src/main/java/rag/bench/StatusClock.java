package rag.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobFile;
import rag.storage.jobs.JobStore;

/**
 * The archive's job store with a clock: notes the {@link System#nanoTime()} at which each file of
 * a job first reached each status, as the pipeline records it. Nothing is polled: the times are
 * those of the pipeline's own status writes.
 */
final class StatusClock implements JobStore {
  /** One file's latest state and when it first reached each status. */
  record Track(JobFile latest, Map<FileStatus, Long> reachedAt) {}

  private final JobStore delegate;
  private final Map<String, Map<Integer, Track>> jobs = new ConcurrentHashMap<>();

  StatusClock(JobStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void create(IngestJob job) {
    delegate.create(job);
    Map<Integer, Track> files = new ConcurrentHashMap<>();
    long now = System.nanoTime();
    for (JobFile f : job.files()) {
      Map<FileStatus, Long> at = new EnumMap<>(FileStatus.class);
      at.put(f.status(), now);
      files.put(f.seq(), new Track(f, at));
    }
    jobs.put(job.id(), files);
  }

  @Override
  public boolean update(JobFile file) {
    if (!delegate.update(file)) {
      return false;
    }
    clock(file, System.nanoTime());
    return true;
  }

  @Override
  public List<Boolean> updateAll(List<JobFile> files) {
    List<Boolean> updated = delegate.updateAll(files);
    long now = System.nanoTime();
    for (int i = 0; i < files.size(); i++) {
      if (updated.get(i)) {
        clock(files.get(i), now);
      }
    }
    return updated;
  }

  private void clock(JobFile file, long now) {
    jobs.get(file.jobId()).compute(file.seq(), (seq, old) -> {
      Map<FileStatus, Long> at = new EnumMap<>(old.reachedAt());
      at.putIfAbsent(file.status(), now);
      return new Track(file, at);
    });
  }

  @Override
  public Optional<JobFile> file(String jobId, int seq) {
    return delegate.file(jobId, seq);
  }

  @Override
  public boolean madeByAnotherFile(String documentId, FileKey except) {
    return delegate.madeByAnotherFile(documentId, except);
  }

  @Override
  public Map<FileKey, JobFile> files(Collection<FileKey> keys) {
    return delegate.files(keys);
  }

  @Override
  public List<JobFile> finishedWithSpool() {
    return delegate.finishedWithSpool();
  }

  @Override
  public void spoolReleased(String jobId, int seq) {
    delegate.spoolReleased(jobId, seq);
  }

  @Override
  public Optional<IngestJob> find(String jobId) {
    return delegate.find(jobId);
  }

  @Override
  public List<IngestJob> recent(int limit) {
    return delegate.recent(limit);
  }

  @Override
  public List<IngestJob> unfinishedJobs() {
    return delegate.unfinishedJobs();
  }

  @Override
  public List<Claim> claim(String owner, int max, java.time.Duration lease) {
    return delegate.claim(owner, max, lease);
  }

  @Override
  public java.util.Set<FileKey> renewLeases(String owner, java.time.Duration lease) {
    return delegate.renewLeases(owner, lease);
  }

  @Override
  public void releaseLeases(String owner) {
    delegate.releaseLeases(owner);
  }

  @Override
  public int discardUploadsWithoutFile(java.time.Instant storedBefore) {
    return delegate.discardUploadsWithoutFile(storedBefore);
  }

  @Override
  public int unfinishedFiles() {
    return delegate.unfinishedFiles();
  }

  List<Track> tracks(String jobId) {
    return new ArrayList<>(jobs.get(jobId).values());
  }

  /** True when no file of the job is queued or parsing any more. */
  boolean pastParsing(String jobId) {
    return jobs.get(jobId).values().stream().allMatch(t -> t.latest().status() != FileStatus.QUEUED
        && t.latest().status() != FileStatus.PARSING);
  }

  boolean finished(String jobId) {
    return jobs.get(jobId).values().stream().allMatch(t -> t.latest().status().isFinal());
  }

  @Override
  public JobStore fencedBy(String owner) {
    throw new UnsupportedOperationException("the benchmarks ingest in one process: no leases to fence by");
  }
}
