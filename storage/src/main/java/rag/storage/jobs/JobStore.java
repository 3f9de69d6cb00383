package rag.storage.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Durable record of ingest jobs and their files; survives restarts so that no accepted file is lost. */
public interface JobStore {

  /** Records a new job and all its files in one transaction. */
  void create(IngestJob job);

  Optional<IngestJob> find(String jobId);

  /** Newest first. */
  List<IngestJob> recent(int limit);

  /**
   * Replaces the stored state of one file (matched by job id and seq), unless the stored file is in
   * a final status already: then nothing changes and false is returned. A file cancelled while a
   * worker had it (its collection was deleted) therefore stays cancelled whatever the worker records.
   */
  boolean update(JobFile file);

  /** {@link #update} of several files in one transaction; whether each was updated, in the given order. */
  default List<Boolean> updateAll(List<JobFile> files) {
    return files.stream().map(this::update).toList();
  }

  /**
   * This store as an ingest worker of a cluster writes it: {@link #update} and {@link #updateAll} change a file only
   * while {@code owner} holds its lease (it {@link #claim claimed} it and no other worker claimed it since), and
   * return false otherwise, as for a file in a final status. A worker paused beyond its lease (a long GC pause, a
   * partition) therefore cannot record its result over the worker that took the file over.
   */
  JobStore fencedBy(String owner);

  /** The stored state of one file. */
  Optional<JobFile> file(String jobId, int seq);

  /**
   * Whether a file other than {@code except}, of any job, records {@code documentId} as what it made: a second file
   * with the same path and bytes finds that document published by the first, not by a crashed attempt of its own.
   */
  boolean madeByAnotherFile(String documentId, FileKey except);

  /** {@link #file} for several files in one read: the stored states of those that exist. */
  default Map<FileKey, JobFile> files(Collection<FileKey> keys) {
    Map<FileKey, JobFile> found = new HashMap<>();
    for (FileKey key : keys) {
      file(key.jobId(), key.seq()).ifPresent(f -> found.put(key, f));
    }
    return found;
  }

  /** Files in a final status that still name spooled bytes (cancelled, or a crash came before their release). */
  List<JobFile> finishedWithSpool();

  /** Records that a file's spooled bytes are gone, whatever its status. */
  void spoolReleased(String jobId, int seq);

  /** Jobs with a file not in a final status, oldest first, with all their files: what a restart resumes. */
  List<IngestJob> unfinishedJobs();

  /** An unfinished file an ingest worker claimed, with its job's collection. */
  record Claim(String collection, JobFile file) {}

  /**
   * Claims for {@code owner}, until {@code lease} from now, up to {@code max} unfinished files that no worker holds
   * (never claimed, or their lease ran out: the worker holding them died), the least recently updated first. On
   * PostgreSQL with {@code FOR UPDATE SKIP LOCKED}: workers claiming at once get different files and never wait.
   */
  List<Claim> claim(String owner, int max, Duration lease);

  /** Extends {@code owner}'s leases of unfinished files to {@code lease} from now; the files it still holds. */
  Set<FileKey> renewLeases(String owner, Duration lease);

  /** Gives up {@code owner}'s leases (a worker stopping), so that other workers claim its files at once. */
  void releaseLeases(String owner);

  /**
   * Deletes the uploads kept as blobs ({@code spool/<spool file>}) stored before {@code storedBefore} that no job file
   * names: an instance stopped between storing an upload's bytes and recording its job. How many parts went.
   */
  int discardUploadsWithoutFile(Instant storedBefore);

  /** How many files are not in a final status, in every job. */
  int unfinishedFiles();

  /** Names one file of a job. */
  record FileKey(String jobId, int seq) {
    public static FileKey of(JobFile file) {
      return new FileKey(file.jobId(), file.seq());
    }
  }
}
