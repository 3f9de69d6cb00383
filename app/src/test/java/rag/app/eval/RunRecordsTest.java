package rag.app.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.app.eval.EvalViews.Progress;
import rag.app.eval.EvalViews.RunState;
import rag.storage.Archive;
import rag.storage.ArchiveFactory;
import rag.storage.StorageConfig;

/**
 * Evaluation reports on the cluster backend: the run's records are in the catalog's database, and so is its HTML
 * report, so an instance other than the one that ran it serves the report (here two instances' report folders on one
 * database).
 */
class RunRecordsTest {
  @TempDir
  Path dir;

  @Test
  void aReportWrittenByOneInstanceIsServedByAnother() throws Exception {
    ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
    try (Archive archive = ArchiveFactory.open(StorageConfig.embedded(dir.resolve("data")), 16, "test-model")) {
      RunRecords ranHere = new RunRecords(dir.resolve("a"), json, archive.evalRuns(), archive.blobs());
      RunRecords elsewhere = new RunRecords(dir.resolve("b"), json, archive.evalRuns(), archive.blobs());
      String runId = RunRecords.newRunId();
      ranHere.create(new RunState(runId, "niah", "queued", new Progress(0, 1), null, Instant.now(), null, null, null),
          Map.of("contextLengths", 1000));
      assertThat(elsewhere.report(runId)).as("no report before the run ends").isEmpty();

      ranHere.writeResult(runId, Map.of("found", 1.0), "<html><body>found 100%</body></html>");

      assertThat(elsewhere.report(runId)).hasValueSatisfying(report -> assertThat(report)
          .hasContent("<html><body>found 100%</body></html>").startsWith(dir.resolve("b")));
      assertThat(elsewhere.json(runId, RunRecords.RESULT).orElseThrow().path("found").asDouble()).isEqualTo(1.0);

      RunRecords unshared = new RunRecords(dir.resolve("c"), json, archive.evalRuns(), null);
      assertThat(unshared.report(runId)).as("the other backends keep reports as files only").isEmpty();
      assertThat(Files.exists(dir.resolve("c").resolve(runId))).isFalse();
    }
  }
}
