package rag.storage.jobs;

import java.util.List;
import java.util.Optional;

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

  /** The stored state of one file. */
  Optional<JobFile> file(String jobId, int seq);

  /** Files in a final status that still name spooled bytes (cancelled, or a crash came before their release). */
  List<JobFile> finishedWithSpool();

  /** Records that a file's spooled bytes are gone, whatever its status. */
  void spoolReleased(String jobId, int seq);

  /** Jobs with a file not in a final status, oldest first, with all their files: what a restart resumes. */
  List<IngestJob> unfinishedJobs();
}
