package rag.query;

import static org.assertj.core.api.Assertions.assertThat;
import static rag.query.QueryFixture.COLLECTION;
import static rag.query.QueryFixture.COUNTER;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.query.generate.OpenAiModelsClient;
import rag.query.generate.ScriptedModelServer;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.query.plan.PlanRequest;
import rag.query.plan.Planner;
import rag.query.profile.ModelProfile;
import rag.storage.Archive;
import rag.storage.model.SearchFilter;

/** A server that serves a smaller window than configured (vLLM max_model_len) gets plans for its window. */
class ServerWindowsIT {
  @TempDir
  Path dir;

  private static ModelProfile profile(String baseUrl, String model, long window) {
    return new ModelProfile("served", baseUrl, model, null, window, 1000, "cl100k_base", null, Duration.ofSeconds(5),
        8000);
  }

  @Test
  void theServedWindowReplacesALargerConfiguredOne() throws Exception {
    try (ScriptedModelServer server = ScriptedModelServer.start(); Archive archive = QueryFixture.open(dir,
        QueryFixture.embedder())) {
      QueryFixture.library(archive, QueryFixture.embedder());
      ServerWindows windows = new ServerWindows(new OpenAiModelsClient());
      long served = windows.window(profile(server.baseUrl(), ScriptedModelServer.MODEL, 10_000_000)).orElseThrow();
      assertThat(served).isEqualTo(262_144);
      assertThat(windows.window(profile(server.baseUrl(), "another-model", 10_000_000)))
          .as("the only model listed is read").hasValue(262_144);
      assertThat(windows.window(QueryFixture.profile(100_000, 1000, 8000))).as("no server").isEmpty();
      assertThat(new ServerWindows(new OpenAiModelsClient()).window(profile("http://127.0.0.1:9/v1", "m", 100_000)))
          .as("a server that is down").isEmpty();

      Planner planner = Planner.builder(archive.reader(), COUNTER).servedWindows(windows).build();
      PlanRequest request = new PlanRequest("When was it built?", SearchFilter.collection(COLLECTION), Mode.STUFF, null);
      Plan larger = planner.plan(request, profile(server.baseUrl(), ScriptedModelServer.MODEL, 10_000_000));
      assertThat(larger.contextWindow()).isEqualTo(262_144);
      assertThat(larger.reason()).endsWith("; the server serves a 262,144-token window, below the configured"
          + " 10,000,000");
      Plan smaller = planner.plan(request, profile(server.baseUrl(), ScriptedModelServer.MODEL, 100_000));
      assertThat(smaller.contextWindow()).as("a smaller configured window is kept").isEqualTo(100_000);
      assertThat(smaller.reason()).doesNotContain("the server serves");
    }
  }
}
