package rag.storage.jobs;

/** One file of an ingest job. {@code outcome} says what its ingestion did to the archive; null until it is known. */
public record JobFile(String jobId, int seq, String name, String sourcePath, String spoolFile, long sizeBytes,
    String sha256, FileStatus status, String documentId, Integer chunks, Long tokens, FileOutcome outcome,
    FileError error) {

  public static JobFile queued(String jobId, int seq, String name, String sourcePath, String spoolFile,
      long sizeBytes, String sha256) {
    return new JobFile(jobId, seq, name, sourcePath, spoolFile, sizeBytes, sha256, FileStatus.QUEUED, null, null,
        null, null, null);
  }

  /** A file refused at once (it never reaches a worker). */
  public static JobFile refused(String jobId, int seq, String name, String sourcePath, long sizeBytes,
      FileError error) {
    return new JobFile(jobId, seq, name, sourcePath, null, sizeBytes, null, FileStatus.FAILED, null, null, null,
        null, error);
  }

  public JobFile with(FileStatus newStatus) {
    return new JobFile(jobId, seq, name, sourcePath, spoolFile, sizeBytes, sha256, newStatus, documentId, chunks,
        tokens, outcome, error);
  }

  public JobFile withResult(FileStatus newStatus, String newDocumentId, Integer newChunks, Long newTokens,
      FileOutcome newOutcome) {
    return new JobFile(jobId, seq, name, sourcePath, spoolFile, sizeBytes, sha256, newStatus, newDocumentId,
        newChunks, newTokens, newOutcome, error);
  }

  /** The same file once its spooled bytes are deleted. */
  public JobFile withoutSpool() {
    return new JobFile(jobId, seq, name, sourcePath, null, sizeBytes, sha256, status, documentId, chunks, tokens,
        outcome, error);
  }

  public JobFile failed(FileError newError) {
    return new JobFile(jobId, seq, name, sourcePath, spoolFile, sizeBytes, sha256, FileStatus.FAILED, documentId,
        chunks, tokens, outcome, newError);
  }
}
