package rag.query;

import static org.assertj.core.api.Assertions.assertThat;
import static rag.query.QueryFixture.COLLECTION;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.query.generate.RoutingModelClient;
import rag.query.generate.ScriptedModelServer;
import rag.query.generate.ScriptedModelServer.Reply;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.query.plan.Planner;
import rag.query.profile.ModelProfile;
import rag.query.profile.ModelProfiles;
import rag.query.retrieve.HybridRetriever;
import rag.storage.Archive;
import rag.storage.embed.Embedder;
import rag.storage.model.Provenance;
import rag.storage.model.SearchFilter;

/**
 * The prefill speed measured from the first long answer: plans estimate prefill from then on, and a profile's
 * max-prefill-seconds keeps auto from stuffing once the measured speed says the prompt would take longer.
 */
class PrefillMeterIT {
  private static final Embedder EMBEDDER = QueryFixture.embedder();

  @TempDir
  Path dir;

  @Test
  void theFirstLongAnswerMeasuresThePrefillSpeedThatPlansThenUse() throws Exception {
    try (Archive archive = QueryFixture.open(dir, EMBEDDER); ScriptedModelServer server = ScriptedModelServer.start()) {
      String text = "The harbour master logged the tides at dawn and the boats left before the bell. ".repeat(200);
      QueryFixture.write(archive, "logs/harbour.txt", "text/plain", "Harbour log", null,
          List.of(QueryFixture.chunk(0, text, Provenance.lines(1, 200, null), 0)), EMBEDDER);
      ModelProfile profile = ModelProfile.builder("timed").baseUrl(server.baseUrl()).model(ScriptedModelServer.MODEL)
          .contextWindow(100_000).answerReserve(1000).retrievalBudget(50_000).maxPrefillSeconds(0.1)
          .timeout(Duration.ofSeconds(20)).build();
      PrefillMeter meter = new PrefillMeter();
      HybridRetriever retriever = new HybridRetriever(archive, EMBEDDER, 60, 0.9);
      Planner planner = Planner.builder(archive.reader(), QueryFixture.COUNTER).retriever(retriever)
          .prefillSpeeds(meter).build();
      QueryPipeline pipeline = new QueryPipeline(archive.reader(), new ModelProfiles(List.of(profile), "timed"),
          planner, retriever, RoutingModelClient.withDefaults(), meter);
      QueryRequest request = new QueryRequest("When were the tides logged?", SearchFilter.collection(COLLECTION),
          null, Mode.AUTO, null);

      Plan unmeasured = pipeline.plan(request, null);
      assertThat(unmeasured.estimatedPrefillSeconds()).as("no speed yet").isNull();
      assertThat(unmeasured.mode()).as("no speed, no bound: the scope is within the retrieval budget")
          .isEqualTo(Mode.STUFF);

      server.reply(Reply.tokens("At", " dawn", " [C1].").promptTokens(3_000).firstTokenAfter(Duration.ofMillis(500)));
      pipeline.answer(request, token -> { });
      PrefillMeter.Measurement m = meter.measurement(profile).orElseThrow();
      assertThat(m.promptTokens()).as("the server's count").isEqualTo(3_000);
      assertThat(m.timeToFirstToken()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
      assertThat(m.tokensPerSecond()).isLessThanOrEqualTo(6_000);

      Plan measured = pipeline.plan(request, null);
      assertThat(measured.mode()).as("now the estimate is over max-prefill-seconds").isEqualTo(Mode.RETRIEVE);
      assertThat(measured.reason()).contains("to prefill").contains("over the profile's max-prefill-seconds of 0.1 s");
      assertThat(measured.estimatedPrefillSeconds()).isEqualTo(measured.promptTokens() / m.tokensPerSecond());

      server.reply(Reply.tokens("Short.").promptTokens(200).firstTokenAfter(Duration.ofMillis(900)));
      pipeline.answer(new QueryRequest("When?", SearchFilter.collection(COLLECTION), null, Mode.RETRIEVE, 1),
          token -> { });
      assertThat(meter.measurement(profile).orElseThrow()).as("a short prompt measures fixed costs, not prefill")
          .isEqualTo(m);
    }
  }
}
