package rag.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service started again with another embedding model of the same dimension (only the name differs) starts, says
 * which collections need re-indexing, and {@code reindex <collection>} switches them to the new model's vectors.
 */
@QuarkusMainTest
@TestProfile(ReindexCommandTest.OwnDataDir.class)
class ReindexCommandTest {
  static final Path DATA;

  static {
    try {
      DATA = Files.createTempDirectory("rag-reindex-cli");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The data directory only: the model is chosen per launch (a system property, read at each start). */
  public static class OwnDataDir implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("rag.data-dir", DATA.resolve("data").toString());
    }
  }

  private static LaunchResult launchWithModel(QuarkusMainLauncher launcher, String model, String... args) {
    System.setProperty("rag.embedding.model", model);
    try {
      return launcher.launch(args);
    } finally {
      System.clearProperty("rag.embedding.model");
    }
  }

  @Test
  void aServiceStartedWithAnotherModelReindexesACollectionFromTheCommandLine(QuarkusMainLauncher launcher)
      throws Exception {
    Path folder = Files.createDirectories(DATA.resolve("in"));
    Files.writeString(folder.resolve("tides.txt"), "Spring tides come twice a month, at new and full moon.");
    Files.writeString(folder.resolve("winds.md"), "# Winds\n\nThe trade winds blow from the east.");

    LaunchResult ingest = launchWithModel(launcher, "all-minilm-l6-v2-q", "ingest", "notes", folder.toString());
    assertThat(ingest.exitCode()).as(ingest.getOutput() + ingest.getErrorOutput()).isZero();

    LaunchResult reindex = launcher.launch("reindex", "notes"); // the default model, bge-small-en-v1.5-q
    String out = reindex.getOutput() + reindex.getErrorOutput();
    assertThat(reindex.exitCode()).as(out).isZero();
    assertThat(out).contains("1 collection needs re-indexing for the configured embedding model bge-small-en-v1.5-q"
        + " (384 dimensions): notes (vectors of all-minilm-l6-v2-q (384 dimensions))")
        .contains("collection 'notes': vectors of all-minilm-l6-v2-q (384 dimensions); the configured embedding model"
            + " is bge-small-en-v1.5-q (384 dimensions)")
        .contains("embedding 2 documents with bge-small-en-v1.5-q").contains("2/2 files")
        .contains("succeeded: 2 documents, 0 failed")
        .contains("collection 'notes' now searches the vectors of bge-small-en-v1.5-q (384 dimensions)");

    LaunchResult again = launcher.launch("reindex", "notes");
    assertThat(again.exitCode()).as(again.getOutput() + again.getErrorOutput()).isZero();
    assertThat(again.getOutput()).contains("vectors of bge-small-en-v1.5-q").contains("nothing to re-index")
        .doesNotContain("need re-indexing").doesNotContain("needs re-indexing");

    LaunchResult unknown = launcher.launch("reindex", "no-such-collection");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.getErrorOutput()).contains("no collection 'no-such-collection'");
  }
}
