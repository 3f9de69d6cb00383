package rag.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import rag.app.wiring.ServiceBackups;
import rag.storage.backup.BackupException;
import rag.storage.backup.Backups;

/**
 * {@code backup <dir>}: a backup of the embedded store into {@code dir} (absent or empty). When the service runs on
 * this machine ({@code RAG_URL}, default {@code http://127.0.0.1:<quarkus.http.port>}) it is asked to take the backup
 * while it keeps serving ({@code POST /api/admin/backup}, with the key in {@code RAG_API_KEY} when access control is
 * on); otherwise the data directory is opened here and backed up. Exit code 0 on success, 1 when the backup failed,
 * 2 for a usage error.
 */
public class BackupCommand implements QuarkusApplication {
  static final String USAGE = "usage: backup <folder>   (absent or empty, outside the data directory)";

  @Inject
  ServiceBackups backups;

  /** The offline backup: no service holds the data directory. */
  @Override
  public int run(String... args) {
    Path dir = Path.of(args[1]).toAbsolutePath();
    try {
      Backups.Manifest m = backups.backup(dir);
      System.out.printf(Locale.ROOT, "backed up %d documents: %d files, %.1f MB, into %s%n", m.documents(),
          m.files().size(), m.totalBytes() / 1e6, dir);
      return 0;
    } catch (BackupException | UnsupportedOperationException e) {
      System.err.println("backup: " + e.getMessage());
      return 1;
    }
  }

  /**
   * Asks a running service for the backup. Empty when no service answers at its address (then the caller backs up
   * offline); otherwise the exit code.
   */
  static Optional<Integer> viaRunningService(Path dir) {
    String base = Optional.ofNullable(System.getenv("RAG_URL")).orElse("http://127.0.0.1:"
        + System.getProperty("quarkus.http.port", Optional.ofNullable(System.getenv("QUARKUS_HTTP_PORT"))
        .orElse("8080")));
    ObjectMapper json = new ObjectMapper();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.replaceAll("/$", "") + "/api/admin/backup"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("dir", dir.toString()))));
      String key = System.getenv("RAG_API_KEY");
      if (key != null && !key.isBlank()) {
        request.header("Authorization", "Bearer " + key);
      }
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = json.readTree(response.body().isBlank() ? "{}" : response.body());
      if (response.statusCode() == 200) {
        System.out.printf(Locale.ROOT, "the service at %s backed up %d documents: %d files, %.1f MB, into %s (%.1f s)%n",
            base, body.path("documents").asLong(), body.path("files").asInt(), body.path("bytes").asLong() / 1e6,
            body.path("dir").asText(), body.path("seconds").asDouble());
        return Optional.of(0);
      }
      System.err.println("backup: the service at " + base + " answered " + response.statusCode() + ": "
          + body.path("detail").asText(response.body()));
      return Optional.of(1);
    } catch (ConnectException e) {
      return Optional.empty();
    } catch (IOException e) {
      System.err.println("backup: asking the service at " + base + " failed: " + e);
      return Optional.of(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(1);
    }
  }
}
