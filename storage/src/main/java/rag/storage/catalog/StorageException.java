package rag.storage.catalog;

/** A store (database or index) could not do what was asked; the message says what and why. */
public class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageException(String message) {
    super(message);
  }
}
