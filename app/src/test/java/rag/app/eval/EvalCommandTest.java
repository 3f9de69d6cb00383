package rag.app.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

/** The command line runs evaluations with a progress bar and leaves the same files as the API. */
@QuarkusMainTest
@TestProfile(EvalCommandTest.OwnDataDir.class)
class EvalCommandTest {
  static final Path DATA;
  private static final Pattern REPORT = Pattern.compile("report: (\\S+report\\.html)");

  static {
    try {
      DATA = Files.createTempDirectory("rag-eval-cli");
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

  private static Path reportOf(LaunchResult result) {
    Matcher m = REPORT.matcher(result.getOutput());
    assertThat(m.find()).as(result.getOutput()).isTrue();
    return Path.of(m.group(1));
  }

  @Test
  void evalNiahEvalRetrievalAndEvalQaRunWithProgressAndWriteTheirReports(QuarkusMainLauncher launcher) throws Exception {
    LaunchResult niah = launcher.launch("eval-niah", "--mode", "stuff", "--profile", "llama4-scout", "--lengths",
        "3000,1000", "--depths", "0,100");
    assertThat(niah.exitCode()).as(niah.getOutput() + niah.getErrorOutput()).isZero();
    assertThat(niah.getOutput()).contains("4/4 cells").contains("succeeded: found in 4 of 4 cells");
    Path report = reportOf(niah);
    assertThat(report).startsWith(DATA.resolve("data").resolve("eval").toAbsolutePath());
    assertThat(Jsoup.parse(report.toFile()).select("table.heatmap td.cell")).hasSize(4);
    JsonNode result = new ObjectMapper().readTree(report.resolveSibling("result.json").toFile());
    assertThat(result.get("mode").asText()).isEqualTo("stuff");
    assertThat(result.get("profile").get("name").asText()).isEqualTo("llama4-scout");

    LaunchResult retrieval = launcher.launch("eval-retrieval", "--dataset", EvalTestProfile.fixture().toString(),
        "--retrievers", "bm25");
    assertThat(retrieval.exitCode()).as(retrieval.getOutput() + retrieval.getErrorOutput()).isZero();
    assertThat(retrieval.getOutput()).contains("4/4 queries").contains("nDCG@10: bm25 0.7500");
    assertThat(Jsoup.parse(reportOf(retrieval).toFile()).select("table.metrics tbody tr")).hasSize(1);

    Path folder = Files.createDirectories(DATA.resolve("qa-folder"));
    Files.writeString(folder.resolve("tides.txt"), "The harbour tides are logged at dawn by the master.\n");
    LaunchResult ingest = launcher.launch("ingest", "cli-qa", folder.toString());
    assertThat(ingest.exitCode()).as(ingest.getOutput() + ingest.getErrorOutput()).isZero();
    Path questions = DATA.resolve("questions.jsonl");
    Files.writeString(questions, "{\"id\": \"t\", \"question\": \"When are the tides logged?\", \"expected\":"
        + " [{\"source\": \"tides.txt\", \"text\": \"logged at dawn\"}]}\n");
    LaunchResult qa = launcher.launch("eval-qa", "--collection", "cli-qa", "--questions", questions.toString(),
        "--retrievers", "bm25,hybrid");
    assertThat(qa.exitCode()).as(qa.getOutput() + qa.getErrorOutput()).isZero();
    assertThat(qa.getOutput()).contains("2/2 questions x retrievers").contains("hits@5: bm25 1.000, hybrid 1.000");
    assertThat(Jsoup.parse(reportOf(qa).toFile()).select("table.qa-metrics tbody tr")).hasSize(2);
    LaunchResult noSet = launcher.launch("eval-qa", "--collection", "cli-qa", "--set", "none");
    assertThat(noSet.exitCode()).isEqualTo(2);
    assertThat(noSet.getErrorOutput()).contains("has no question set 'none'").contains("usage: eval-qa");

    LaunchResult usage = launcher.launch("eval-niah", "--depths", "0,150");
    assertThat(usage.exitCode()).isEqualTo(2);
    assertThat(usage.getErrorOutput()).contains("illegal depthPercents[1] 150.0, must be in 0..100")
        .contains("usage: eval-niah");
    LaunchResult missing = launcher.launch("eval-retrieval", "--k", "10");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.getErrorOutput()).contains("--dataset is required");
  }
}
