package rag.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static rag.query.QueryFixture.COLLECTION;
import static rag.query.QueryFixture.COUNTER;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.query.generate.OpenAiTokenizeClient;
import rag.query.generate.ScriptedModelServer;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.query.plan.PlanRequest;
import rag.query.plan.Planner;
import rag.query.profile.ModelProfile;
import rag.storage.Archive;
import rag.storage.model.SearchFilter;

/** Budgets calibrated against a server's /tokenize, and the stated margin when it has none. */
class ServerTokenCalibrationIT {
  @TempDir
  Path dir;

  @Test
  void aServerWithTokenizeScalesTheEstimatesAndOneWithoutLeavesTheMargin() throws Exception {
    try (ScriptedModelServer server = ScriptedModelServer.start(); Archive archive = QueryFixture.open(dir,
        QueryFixture.embedder())) {
      QueryFixture.library(archive, QueryFixture.embedder());
      ServerTokenCalibration calibration = new ServerTokenCalibration(new OpenAiTokenizeClient(), COUNTER);
      ModelProfile profile = new ModelProfile("served", server.baseUrl(), ScriptedModelServer.MODEL, null, 100_000,
          1000, "words", null, Duration.ofSeconds(5), 8000);
      double expected = (double) ScriptedModelServer.countWords(ServerTokenCalibration.SAMPLE)
          / COUNTER.count(ServerTokenCalibration.SAMPLE);
      assertThat(calibration.ratio(profile).orElseThrow()).isCloseTo(expected, within(1e-9));

      Planner calibrated = Planner.builder(archive.reader(), COUNTER).calibration(calibration).build();
      Planner uncalibrated = Planner.builder(archive.reader(), COUNTER).build();
      PlanRequest request = new PlanRequest("When was it built?", SearchFilter.collection(COLLECTION), Mode.STUFF, null);
      Plan a = calibrated.plan(request, profile);
      Plan b = uncalibrated.plan(request, profile);
      assertThat(a.tokenRatio()).isCloseTo(expected, within(1e-9));
      assertThat(a.safetyMargin()).isEqualTo(0.02);
      assertThat(b.tokenRatio()).isNull();
      assertThat(b.safetyMargin()).isEqualTo(0.10);
      long raw = (long) Math.floor(b.promptTokens() / 1.10); // b = ceil(raw * 1.1)
      assertThat(a.promptTokens()).isBetween((long) Math.floor(raw * expected * 1.02), (long) Math.ceil((raw + 1) * expected * 1.02));

      server.tokenizeShape(ScriptedModelServer.TokenizeShape.NONE);
      ModelProfile other = new ModelProfile("plain", server.baseUrl(), ScriptedModelServer.MODEL, null, 100_000, 1000,
          "words", null, Duration.ofSeconds(5), 8000);
      assertThat(calibration.ratio(other)).isEmpty();
      assertThat(calibration.ratio(QueryFixture.profile(100_000, 1000, 8000))).as("no server").isEmpty();
    }
  }
}
