package rag.app.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import rag.app.eval.EvalViews.RunState;

/**
 * The runs on disk, one folder each under the reports directory: {@code settings.json} (the request with every
 * default filled in), {@code state.json} (state, progress, error, times), and once succeeded {@code result.json} and
 * {@code report.html}. Every file is written whole to a temporary name and moved into place, so a reader (or a
 * crash) sees the old file or the new one, never half of one.
 */
final class RunFolders {
  static final String SETTINGS = "settings.json";
  static final String STATE = "state.json";
  static final String RESULT = "result.json";
  static final String REPORT = "report.html";
  /** Run ids as {@link #newRunId()} makes them; anything else is refused before it becomes a path. */
  static final Pattern RUN_ID = Pattern.compile("\\d{8}-\\d{6}-[0-9a-f]{6}");

  private final Path dir;
  private final ObjectMapper json;

  RunFolders(Path dir, ObjectMapper json) {
    this.dir = dir;
    this.json = json;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the evaluation reports folder " + dir, e);
    }
  }

  Path dir() {
    return dir;
  }

  static String newRunId() {
    String time = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC)
        .format(Instant.now());
    return time + "-" + String.format("%06x", java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 24));
  }

  /** The folder of a run, or empty for an id that is not a run id. */
  Optional<Path> folder(String runId) {
    return runId != null && RUN_ID.matcher(runId).matches() ? Optional.of(dir.resolve(runId)) : Optional.empty();
  }

  void create(RunState state, Object settings) {
    Path folder = dir.resolve(state.runId());
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the run folder " + folder, e);
    }
    writeJson(folder.resolve(SETTINGS), settings);
    writeState(state);
  }

  void writeState(RunState state) {
    writeJson(dir.resolve(state.runId()).resolve(STATE), state);
  }

  void writeResult(String runId, Object result, String html) {
    writeJson(dir.resolve(runId).resolve(RESULT), result);
    write(dir.resolve(runId).resolve(REPORT), html.getBytes(StandardCharsets.UTF_8));
  }

  Optional<RunState> state(String runId) {
    return folder(runId).map(f -> f.resolve(STATE)).filter(Files::isRegularFile).map(f -> read(f, RunState.class));
  }

  Optional<JsonNode> json(String runId, String file) {
    return folder(runId).map(f -> f.resolve(file)).filter(Files::isRegularFile).map(f -> read(f, JsonNode.class));
  }

  Optional<Path> report(String runId) {
    return folder(runId).map(f -> f.resolve(REPORT)).filter(Files::isRegularFile);
  }

  /** Every run with a readable state, newest first. */
  List<RunState> list() {
    List<RunState> states = new ArrayList<>();
    try (Stream<Path> folders = Files.list(dir)) {
      for (Path folder : folders.filter(Files::isDirectory).toList()) {
        Path state = folder.resolve(STATE);
        if (RUN_ID.matcher(folder.getFileName().toString()).matches() && Files.isRegularFile(state)) {
          states.add(read(state, RunState.class));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the evaluation runs in " + dir, e);
    }
    states.sort(Comparator.comparing(RunState::runId).reversed());
    return states;
  }

  <T> T read(Path file, Class<T> type) {
    try {
      return json.readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private void writeJson(Path file, Object value) {
    try {
      write(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void write(Path file, byte[] bytes) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
