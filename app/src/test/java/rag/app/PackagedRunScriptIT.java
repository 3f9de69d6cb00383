package rag.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * README command one, {@code scripts/run.sh}, as a user runs it: it builds the service when the jar is older than the
 * sources (and only then), starts it, the service answers {@code /q/health/ready}, and SIGTERM stops it cleanly.
 */
class PackagedRunScriptIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private Path home;

  @BeforeEach
  void createHome() throws Exception {
    home = Files.createTempDirectory("rag-run-sh");
  }

  @AfterEach
  void removeHome() throws Exception {
    PackagedJourney.deleteTree(home);
  }

  @Test
  void runShBuildsWhenTheJarIsStaleStartsAndStopsOnSigterm() throws Exception {
    Path jar = REPO.resolve("app/target/quarkus-app/quarkus-run.jar");
    FileTime stale = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    Files.setLastModifiedTime(jar, stale);

    Run first = run(Duration.ofMinutes(10));
    assertThat(first.log()).contains("[run] building the service");
    assertThat(Files.getLastModifiedTime(jar)).as("the rebuilt jar").isGreaterThan(stale);
    assertThat(first.exitCode()).as(first.log()).isIn(0, 143);
    assertThat(first.log()).contains("stopped in");

    Run second = run(Duration.ofMinutes(2));
    assertThat(second.log()).doesNotContain("[run] building the service");
    assertThat(second.exitCode()).as(second.log()).isIn(0, 143);
  }

  record Run(String log, int exitCode) {}

  /** Starts scripts/run.sh, waits until the service is ready, sends SIGTERM and waits for the end. */
  private Run run(Duration readyLimit) throws Exception {
    int port = PackagedService.freePort();
    Path log = Files.createTempFile(home, "run-sh", ".log");
    Process process = new ProcessBuilder("bash", "scripts/run.sh", "-Dquarkus.http.port=" + port,
        "-Drag.data-dir=" + home.resolve("data"), "-Xmx1g").directory(REPO.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      HttpClient client = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + readyLimit.toNanos();
      boolean ready = false;
      while (!ready && System.nanoTime() < deadline && process.isAlive()) {
        try {
          ready = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
              .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
          PackagedService.sleep(500);
        }
      }
      assertThat(ready).as("ready within %s; log:\n%s", readyLimit, Files.readString(log)).isTrue();
      // run.sh execs java, so this process is the service itself and destroy() is its SIGTERM
      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s of SIGTERM").isTrue();
      return new Run(Files.readString(log, StandardCharsets.UTF_8), process.exitValue());
    } finally {
      process.destroyForcibly();
    }
  }
}
