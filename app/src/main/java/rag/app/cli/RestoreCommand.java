package rag.app.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import rag.storage.backup.BackupException;
import rag.storage.backup.Backups;

/**
 * {@code restore <backup folder>}: checks every file of a backup against its manifest, then fills the data directory
 * ({@code rag.data-dir}: {@code -Drag.data-dir=...}, {@code RAG_DATA_DIR}, default {@code data}), which must be
 * absent or empty. Runs without starting the service; its next start reconciles the indexes with the catalog. Exit
 * code 0 on success, 1 when the backup is damaged or the data directory is in use, 2 for a usage error.
 */
final class RestoreCommand {
  static final String USAGE = "usage: restore <backup folder>   (into rag.data-dir, which must be absent or empty)";

  private RestoreCommand() {}

  static int run(String... args) {
    if (args.length != 2) {
      System.err.println(USAGE);
      return 2;
    }
    Path dataDir = Path.of(Optional.ofNullable(System.getProperty("rag.data-dir"))
        .or(() -> Optional.ofNullable(System.getenv("RAG_DATA_DIR"))).orElse("data")).toAbsolutePath();
    try {
      Backups.Manifest m = Backups.restore(Path.of(args[1]), dataDir);
      System.out.printf(Locale.ROOT, "restored %d documents (%d files, %.1f MB, backed up %s) into %s; start the"
          + " service on it%n", m.documents(), m.files().size(), m.totalBytes() / 1e6, m.createdAt(), dataDir);
      return 0;
    } catch (BackupException e) {
      System.err.println("restore: " + e.getMessage());
      return 1;
    }
  }
}
