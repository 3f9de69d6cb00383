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

/** The command line ingests a folder through the service's pipeline and prints a per-file summary. */
@QuarkusMainTest
@TestProfile(IngestCommandTest.OwnDataDir.class)
class IngestCommandTest {
  static final Path DATA;

  static {
    try {
      DATA = Files.createTempDirectory("rag-cli-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static class OwnDataDir implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("rag.data-dir", DATA.resolve("data").toString(), "rag.embedding.model", "all-minilm-l6-v2-q");
    }
  }

  @Test
  void ingestsAFolderAndSummarizes(QuarkusMainLauncher launcher) throws Exception {
    Path folder = Files.createDirectories(DATA.resolve("in/sub"));
    Files.writeString(DATA.resolve("in/readme.md"), "# Readme\n\nHow the archive works.");
    Files.writeString(folder.resolve("notes.txt"), "Meeting notes about the budget.");
    Files.write(folder.resolve("empty.txt"), new byte[0]);
    Files.writeString(DATA.resolve("in/.hidden"), "skipped");

    LaunchResult result = launcher.launch("ingest", "cli", DATA.resolve("in").toString());

    String out = result.getOutput();
    assertThat(result.exitCode()).as(out + result.getErrorOutput()).isEqualTo(1);
    assertThat(out).contains("3 files into collection 'cli'").contains("3/3 files")
        .contains("readme.md").contains("sub/notes.txt").contains("Empty file")
        .contains("partial: 3 files, 1 failed");
    assertThat(out).doesNotContain(".hidden");

    LaunchResult usage = launcher.launch("ingest", "cli");
    assertThat(usage.exitCode()).isEqualTo(2);
    assertThat(usage.getErrorOutput()).contains("usage: ingest <collection> <folder>");
  }
}
