package rag.storage.jobs;

/** Why a file failed, as the API reports it: a problem type, its title, and a detail for people. */
public record FileError(String type, String title, String detail) {
  /** The problem type of files cancelled because their collection was deleted. */
  public static final String COLLECTION_DELETED = "/problems/collection-deleted";

  /** The error of a file whose collection was deleted before the file was ingested. */
  public static FileError collectionDeleted(String collection) {
    return new FileError(COLLECTION_DELETED, "Collection deleted",
        "the collection '" + collection + "' was deleted before this file was ingested");
  }
}
