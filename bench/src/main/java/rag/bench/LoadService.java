package rag.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service as users run it ({@code java -jar app/target/quarkus-app/quarkus-run.jar}), a child process of
 * the benchmark on a free loopback port with a fresh data directory, its output in a log file. No {@code RAG_*}
 * variable of the benchmark's environment reaches it: only the system properties given.
 */
final class LoadService implements AutoCloseable {
  private static final Duration START_LIMIT = Duration.ofSeconds(120);

  private final Path home;
  private final Path log;
  private final Process process;
  private final int port;

  private LoadService(Path home, Path log, Process process, int port) {
    this.home = home;
    this.log = log;
    this.process = process;
    this.port = port;
  }

  /** Starts the jar with {@code home/data} as its data directory and waits until it is ready. */
  static LoadService start(Path jar, Path home, String maxHeap, Map<String, String> properties) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it with mvn -DskipTests package -pl app -am");
    }
    Files.createDirectories(home);
    int port = freePort();
    Path log = home.resolve("service.log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + maxHeap, "-Dquarkus.http.port=" + port, "-Drag.data-dir=" + home.resolve("data")));
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("RAG_") || name.startsWith("QUARKUS_"));
    LoadService service = new LoadService(home, log, builder.start(), port);
    service.awaitReady();
    return service;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  Path dataDir() {
    return home.resolve("data");
  }

  Path log() {
    return log;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM, as an operator does; waits up to 40 s, then kills. Returns the exit code. */
  int stop() throws InterruptedException {
    if (!process.isAlive()) {
      return process.exitValue();
    }
    process.destroy();
    if (!process.waitFor(40, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      return -1;
    }
    return process.exitValue();
  }

  /** Lines of the log that Quarkus' format marks ERROR. */
  List<String> errorLines() throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
        .filter(line -> line.contains(" ERROR ") || line.contains(" ERROR [")).toList();
  }

  /** Lines of the log that Quarkus' format marks WARN. */
  List<String> warnLines() throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
        .filter(line -> line.contains(" WARN ") || line.contains(" WARN [")).toList();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private void awaitReady() throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the service exited with " + process.exitValue() + " while starting:\n"
            + Files.readString(log));
      }
      try {
        HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    close();
    throw new IllegalStateException("the service was not ready within " + START_LIMIT + ":\n" + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
