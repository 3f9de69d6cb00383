package rag.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.builder.RequestSpecBuilder;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service as users run it: {@code java -jar app/target/quarkus-app/quarkus-run.jar} in a process of its own, with
 * its own port and data directory, its output in a log file. Restarting keeps the data directory.
 */
final class PackagedService implements AutoCloseable {
  static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
  private static final Duration START_LIMIT = Duration.ofSeconds(90);

  private final Path home;
  private final Map<String, String> properties;
  private final List<Path> logs = new ArrayList<>();
  private Process process;
  private int port;

  private PackagedService(Path home, Map<String, String> properties) {
    this.home = home;
    this.properties = properties;
  }

  /** Starts the jar with a fresh data directory under {@code home} and these system properties. */
  static PackagedService start(Path home, Map<String, String> properties) {
    assertThat(JAR).as("the packaged service (mvn package builds it before the integration tests)").isRegularFile();
    PackagedService service = new PackagedService(home, new LinkedHashMap<>(properties));
    service.launch();
    return service;
  }

  Path dataDir() {
    return home.resolve("data");
  }

  int port() {
    return port;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  RequestSpecification http() {
    return new RequestSpecBuilder().setBaseUri("http://127.0.0.1").setPort(port).build();
  }

  /** Stops the service with SIGTERM, as an operator or an orchestrator does, and starts it again on the same data. */
  void restart() {
    stop();
    launch();
  }

  /** SIGTERM, without waiting: the service drains. */
  void signalStop() {
    process.destroy();
  }

  /** Waits for the process to end after {@link #signalStop}; its exit code. */
  int awaitExit(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("the service did not stop within " + limit + "; log " + currentLog());
    }
    return process.exitValue();
  }

  /** SIGKILL: no shutdown hook, no finally block, no flush; waits for the process to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Starts the jar again on the same data directory (after it stopped). */
  void start() {
    launch();
  }

  /** SIGTERM, then waits for the process to end; returns its exit code. */
  int stop() {
    if (process == null || !process.isAlive()) {
      return process == null ? 0 : process.exitValue();
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("the service did not stop within 30 s of SIGTERM; log " + currentLog());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  Path currentLog() {
    return logs.get(logs.size() - 1);
  }

  /** Every line of every run's log (start-ups and requests) that Quarkus' log format marks ERROR. */
  List<String> errorLines() {
    List<String> errors = new ArrayList<>();
    for (Path log : logs) {
      for (String line : readLog(log)) {
        if (line.contains(" ERROR ") || line.contains(" ERROR [")) {
          errors.add(log.getFileName() + ": " + line);
        }
      }
    }
    return errors;
  }

  String log() {
    return String.join("\n", readLog(currentLog()));
  }

  private static List<String> readLog(Path log) {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a one-off command of the jar printed, and its exit code. */
  record CommandRun(int exit, String output) {}

  /**
   * Runs the jar as a one-off command ({@code rebuild-search}, {@code keys list}, ...) with these system properties
   * and a data directory of its own under {@code home}, and waits for it to end.
   */
  static CommandRun command(Path home, Map<String, String> properties, Duration limit, String... args)
      throws IOException, InterruptedException {
    Files.createDirectories(home);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Drag.data-dir=" + home.resolve("data")));
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    Path log = Files.createTempFile(home, "command", ".log");
    Process p = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(String.join(" ", args) + " did not end within " + limit + ":\n"
          + Files.readString(log));
    }
    return new CommandRun(p.exitValue(), Files.readString(log));
  }

  private void launch() {
    port = freePort();
    Path log = home.resolve("service-" + (logs.size() + 1) + ".log");
    logs.add(log);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Dquarkus.http.port=" + port, "-Drag.data-dir=" + dataDir()));
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-jar");
    command.add(JAR.toString());
    try {
      process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitReady();
  }

  private void awaitReady() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the service exited with " + process.exitValue() + " while starting:\n" + log());
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
      sleep(250);
    }
    throw new AssertionError("the service was not ready within " + START_LIMIT + ":\n" + log());
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
