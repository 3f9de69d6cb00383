package rag.app.wiring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import rag.app.config.RagConfig;
import rag.app.eval.EvalParts;
import rag.storage.Archive;
import rag.storage.backup.BackupException;
import rag.storage.backup.Backups;

/**
 * Backs up this service's embedded store while it runs ({@link Backups#create}): the catalog and the indexes, plus the
 * folders of plain files under the data directory (kept originals, uploads still spooled, conversations, evaluation
 * runs when they are kept there, the API key pepper). One backup at a time.
 */
@ApplicationScoped
public class ServiceBackups {
  static final List<String> FILE_FOLDERS = List.of("originals", "spool", "conversations", "security");

  @Inject
  RagConfig config;

  @Inject
  Archive archive;

  @Inject
  EvalParts evals;

  private final ReentrantLock running = new ReentrantLock();

  /** Another backup is running. */
  public static final class BusyException extends RuntimeException {
    BusyException() {
      super("a backup is already running; try again when it is done");
    }
  }

  /**
   * @throws BusyException when another backup is running
   * @throws BackupException when the target is unusable or copying fails
   * @throws UnsupportedOperationException on the PostgreSQL backend (pg_dump backs up its database)
   */
  public Backups.Manifest backup(Path target) {
    if (!running.tryLock()) {
      throw new BusyException();
    }
    try {
      Path data = config.dataDir().toAbsolutePath().normalize();
      List<String> folders = new ArrayList<>(FILE_FOLDERS);
      Path reports = evals.reportsDir().normalize();
      if (reports.startsWith(data)) {
        folders.add(data.relativize(reports).toString());
      }
      return Backups.create(archive, data, target, folders);
    } finally {
      running.unlock();
    }
  }
}
