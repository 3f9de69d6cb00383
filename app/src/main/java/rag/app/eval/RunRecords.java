package rag.app.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import rag.app.eval.EvalViews.RunState;
import rag.storage.blobs.BlobStore;
import rag.storage.evals.EvalRunStore;

/**
 * The runs: settings, state and result in the catalog's database ({@link EvalRunStore}), so that every instance on
 * the same database sees them; the HTML report a file, {@code <reports dir>/<run id>/report.html}, with a copy of
 * the result beside it ({@code result.json}), each written whole to a temporary name and moved into place. Runs kept
 * as folders of JSON files by earlier versions are imported once. On the cluster backend the report is kept in the
 * catalog's database too ({@code report/<run id>}), and an instance that lacks the file copies it from there.
 */
final class RunRecords {
  static final String SETTINGS = "settings.json";
  static final String STATE = "state.json";
  static final String RESULT = "result.json";
  static final String REPORT = "report.html";
  private static final String BLOB_PREFIX = "report/";
  /** Run ids as {@link #newRunId()} makes them; anything else is refused before it becomes a path or a key. */
  static final Pattern RUN_ID = Pattern.compile("\\d{8}-\\d{6}-[0-9a-f]{6}");
  private static final Logger LOG = Logger.getLogger(RunRecords.class);
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneOffset.UTC);

  private final Path dir;
  private final ObjectMapper json;
  private final EvalRunStore store;
  private final BlobStore shared;

  /** @param shared where reports are kept for every instance, or null */
  RunRecords(Path dir, ObjectMapper json, EvalRunStore store, BlobStore shared) {
    this.dir = dir;
    this.json = json;
    this.store = store;
    this.shared = shared;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the evaluation reports folder " + dir, e);
    }
    importFolders();
  }

  Path dir() {
    return dir;
  }

  static String newRunId() {
    return ID_TIME.format(Instant.now()) + "-" + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
  }

  private static boolean isRunId(String runId) {
    return runId != null && RUN_ID.matcher(runId).matches();
  }

  void create(RunState state, Object settings) {
    if (!store.create(state.runId(), state.kind(), state.state(), write(state), write(settings))) {
      throw new IllegalStateException("evaluation run id " + state.runId() + " is taken");
    }
  }

  void writeState(RunState state) {
    store.updateState(state.runId(), state.state(), write(state));
  }

  void writeResult(String runId, Object result, String html) {
    Path folder = dir.resolve(runId);
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the run folder " + folder, e);
    }
    String resultJson = write(result);
    writeFile(folder.resolve(RESULT), resultJson.getBytes(StandardCharsets.UTF_8)); // a copy, for the command line
    writeFile(folder.resolve(REPORT), html.getBytes(StandardCharsets.UTF_8));
    if (shared != null) {
      shared.put(BLOB_PREFIX + runId, folder.resolve(REPORT));
    }
    store.putResult(runId, resultJson);
  }

  Optional<RunState> state(String runId) {
    return isRunId(runId) ? store.state(runId).map(s -> read(s, RunState.class)) : Optional.empty();
  }

  Optional<JsonNode> json(String runId, String part) {
    if (!isRunId(runId)) {
      return Optional.empty();
    }
    Optional<String> text = switch (part) {
      case SETTINGS -> store.settings(runId);
      case RESULT -> store.result(runId);
      case STATE -> store.state(runId);
      default -> throw new IllegalArgumentException("no run part " + part);
    };
    return text.map(t -> read(t, JsonNode.class));
  }

  Optional<Path> report(String runId) {
    if (!isRunId(runId)) {
      return Optional.empty();
    }
    Path report = dir.resolve(runId).resolve(REPORT);
    if (!Files.isRegularFile(report) && shared != null) { // run by another instance
      try {
        Files.createDirectories(report.getParent());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the run folder " + report.getParent(), e);
      }
      shared.copyTo(BLOB_PREFIX + runId, report);
    }
    return Optional.of(report).filter(Files::isRegularFile);
  }

  /** Every run, newest first. */
  List<RunState> list() {
    return store.states().stream().map(s -> read(s, RunState.class)).toList();
  }

  /** The runs in {@code state}, oldest first. */
  List<RunState> listIn(String state) {
    return store.statesIn(state).stream().map(s -> read(s, RunState.class)).toList();
  }

  private void importFolders() {
    try (Stream<Path> folders = Files.list(dir)) {
      for (Path folder : folders.filter(Files::isDirectory).toList()) {
        String runId = folder.getFileName().toString();
        Path state = folder.resolve(STATE);
        if (!isRunId(runId) || !Files.isRegularFile(state) || store.state(runId).isPresent()) {
          continue;
        }
        RunState s = read(Files.readString(state), RunState.class);
        Path settings = folder.resolve(SETTINGS);
        store.create(runId, s.kind(), s.state(), Files.readString(state),
            Files.isRegularFile(settings) ? Files.readString(settings) : "{}");
        Path result = folder.resolve(RESULT);
        if (Files.isRegularFile(result)) {
          store.putResult(runId, Files.readString(result));
        }
        LOG.infof("evaluation run %s imported from its folder into the catalog", runId);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot import the evaluation runs in " + dir, e);
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an evaluation run as JSON", e);
    }
  }

  private <T> T read(String text, Class<T> type) {
    try {
      return json.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot read an evaluation run's JSON", e);
    }
  }

  private static void writeFile(Path file, byte[] bytes) {
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
