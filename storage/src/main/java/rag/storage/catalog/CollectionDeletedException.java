package rag.storage.catalog;

/**
 * A document version was refused because its collection was deleted while it was being written:
 * nothing of it becomes visible, and the collection is not created again for it.
 */
public final class CollectionDeletedException extends StorageException {
  private final String collection;

  public CollectionDeletedException(String collection, String what) {
    super("the collection '" + collection + "' was deleted while " + what + " was being written");
    this.collection = collection;
  }

  public String collection() {
    return collection;
  }
}
