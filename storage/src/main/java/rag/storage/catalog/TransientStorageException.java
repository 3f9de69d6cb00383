package rag.storage.catalog;

/** A store is unreachable or overloaded for now (a search cluster down, refusing or timing out): retrying later cures it. */
public class TransientStorageException extends StorageException {
  public TransientStorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public TransientStorageException(String message) {
    super(message);
  }
}
