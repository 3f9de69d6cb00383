package rag.storage.backup;

/** A backup cannot be made or restored: the reason names the folder or the files at fault. */
public final class BackupException extends RuntimeException {
  public BackupException(String message) {
    super(message);
  }

  public BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
