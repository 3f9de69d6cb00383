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

  /** Replaces the stored state of one file (matched by job id and seq). */
  void update(JobFile file);

  /** Jobs with a file not in a final status, oldest first, with all their files: what a restart resumes. */
  List<IngestJob> unfinishedJobs();
}
