package rag.app.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.file.InvalidPathException;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import rag.app.wiring.ServiceBackups;
import rag.storage.Archive;
import rag.storage.backup.BackupException;
import rag.storage.backup.Backups;
import rag.app.security.Requires;
import rag.app.security.Requires.On;
import rag.storage.keys.AccessLevel;

@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {
  @Inject
  Archive archive;

  @Inject
  ServiceBackups backups;

  /** {@code dir}: an absolute path on the server, absent or an empty folder outside the data directory. */
  public record BackupBody(String dir) {}

  /** What a backup holds. */
  public record BackupView(String dir, String createdAt, long documents, int files, long bytes, double seconds) {}

  @POST
  @Path("/backup")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Back up the embedded store while the service runs (catalog, indexes, originals, spooled"
      + " uploads, conversations, evaluation runs, key pepper) into a folder on the server, with a manifest of"
      + " checksums; restore with `scripts/run.sh restore <dir>` into an empty data directory")
  @Requires(on = On.EVERY_COLLECTION, level = AccessLevel.ADMIN)
  public BackupView backup(BackupBody body) {
    if (body == null || body.dir() == null || body.dir().isBlank()) {
      throw ProblemException.badRequest("the request needs \"dir\": an absolute folder on the server");
    }
    java.nio.file.Path dir;
    try {
      dir = java.nio.file.Path.of(body.dir());
    } catch (InvalidPathException e) {
      throw ProblemException.badRequest("\"dir\" is not a path: " + e.getMessage());
    }
    if (!dir.isAbsolute()) {
      throw ProblemException.badRequest("\"dir\" must be an absolute path, not '" + body.dir() + "'");
    }
    long start = System.nanoTime();
    Backups.Manifest manifest;
    try {
      manifest = backups.backup(dir);
    } catch (ServiceBackups.BusyException e) {
      throw ProblemException.conflict(e.getMessage());
    } catch (BackupException | UnsupportedOperationException e) {
      throw ProblemException.badRequest(e.getMessage());
    }
    return new BackupView(dir.toString(), manifest.createdAt(), manifest.documents(), manifest.files().size(),
        manifest.totalBytes(), (System.nanoTime() - start) / 1e9);
  }

  @POST
  @Path("/optimize")
  @Operation(summary = "Compact the indexes after a bulk load (Lucene: merge to one segment; pgvector: ANALYZE);"
      + " slow on large archives, searches keep working meanwhile")
  @Requires(on = On.EVERY_COLLECTION, level = AccessLevel.ADMIN)
  public Map<String, String> optimize() {
    long start = System.nanoTime();
    String result = archive.optimize();
    return Map.of("result", result, "seconds", String.format(Locale.ROOT, "%.1f",
        (System.nanoTime() - start) / 1e9));
  }
}
