package rag.ingest.parse;

import rag.storage.jobs.FileError;
import rag.storage.problem.ProblemType;

/** Why a file could not be ingested; each kind is reported as one problem type of the registry. */
public enum FailureKind {
  EMPTY(ProblemType.EMPTY),
  ENCRYPTED(ProblemType.ENCRYPTED),
  CORRUPT(ProblemType.CORRUPT),
  UNSUPPORTED(ProblemType.UNSUPPORTED_TYPE),
  NO_TEXT(ProblemType.NO_TEXT),
  TOO_LARGE(ProblemType.TOO_LARGE),
  TIMEOUT(ProblemType.PARSE_TIMEOUT),
  HOSTILE(ProblemType.HOSTILE_INPUT);

  private final ProblemType problem;

  FailureKind(ProblemType problem) {
    this.problem = problem;
  }

  public ProblemType problem() {
    return problem;
  }

  /** The job file's error for a failure of this kind. */
  public FileError error(String detail) {
    return FileError.of(problem, detail);
  }
}
