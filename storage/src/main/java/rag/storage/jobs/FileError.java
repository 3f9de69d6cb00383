package rag.storage.jobs;

import rag.storage.problem.ProblemType;

/** Why a file failed, as the API reports it: a problem type's URI, its title, and a detail for people. */
public record FileError(String type, String title, String detail) {

  public static FileError of(ProblemType type, String detail) {
    return new FileError(type.uri(), type.title(), detail);
  }

  /** The error of a file whose collection was deleted before the file was ingested. */
  public static FileError collectionDeleted(String collection) {
    return of(ProblemType.COLLECTION_DELETED,
        "the collection '" + collection + "' was deleted before this file was ingested");
  }

  /** True when this error is of {@code type}. */
  public boolean is(ProblemType type) {
    return type.is(this.type);
  }
}
