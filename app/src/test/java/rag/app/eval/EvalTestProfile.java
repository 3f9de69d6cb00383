package rag.app.eval;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A data directory of its own, MiniLM for speed, an allowed root holding a small BEIR dataset, and two runs left
 * behind by an earlier service (one running, one queued) to check what a restart does with them.
 */
public class EvalTestProfile implements QuarkusTestProfile {
  static final Path ROOT;
  static final Path ALLOWED;
  static final Path DATA;
  static final String INTERRUPTED_RUN = "20260101-000000-aaaaaa";
  static final String QUEUED_RUN = "20260101-000001-bbbbbb";

  static {
    try {
      ROOT = Files.createTempDirectory("rag-eval-api");
      ALLOWED = Files.createDirectories(ROOT.resolve("allowed"));
      DATA = ROOT.resolve("data");
      copy(fixture(), ALLOWED.resolve("stack"));
      leftBehind(INTERRUPTED_RUN, "running", "{\"mode\": \"stuff\", \"contextLengths\": [1000]}");
      leftBehind(QUEUED_RUN, "queued", "{\"mode\": \"stuff\", \"profile\": \"llama4-scout\","
          + " \"contextLengths\": [1000], \"depthPercents\": [0, 100]}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path fixture() {
    try {
      return Path.of(EvalTestProfile.class.getResource("/beir/stack/queries.jsonl").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void leftBehind(String runId, String state, String settings) throws IOException {
    Path folder = Files.createDirectories(DATA.resolve("eval").resolve(runId));
    Files.writeString(folder.resolve("settings.json"), settings);
    Files.writeString(folder.resolve("state.json"), "{\"runId\": \"" + runId + "\", \"kind\": \"niah\", \"state\": \""
        + state + "\", \"progress\": {\"done\": 0, \"total\": 2}, \"createdAt\": \"2026-01-01T00:00:00Z\"}");
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("rag.data-dir", DATA.toString(), "rag.embedding.model", "all-minilm-l6-v2-q",
        "rag.ingest.allowed-roots", ALLOWED.toString(), "rag.eval.max-context-length", "200000");
  }
}
