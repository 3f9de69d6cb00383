package rag.eval.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import rag.eval.niah.NeedleSet;
import rag.eval.niah.NiahCell;
import rag.eval.niah.NiahGrid;
import rag.eval.niah.NiahResult;
import rag.eval.niah.NiahRun;
import rag.eval.niah.NiahSettings;
import rag.query.generate.RoutingModelClient;
import rag.query.plan.Mode;
import rag.query.profile.ModelProfile;

/**
 * End to end over a scripted model server (real socket, OpenAI protocol) whose "model" answers from the prompt: it
 * repeats the needle when the prompt holds it and says it does not know otherwise.
 */
class EndToEndProbeTest {
  private static final String NEEDLE = NeedleSet.DEFAULT_NEEDLE;

  private static String reader(String prompt) {
    return prompt.contains(NEEDLE) ? "According to the documents, the best thing to do in San Francisco is to eat a"
        + " sandwich and sit in Dolores Park on a sunny day. [C1]" : "The documents do not say.";
  }

  private static ModelProfile profile(String baseUrl, long window, long budget) {
    return new ModelProfile("scripted", baseUrl, "scripted-model", null, window, 500, "cl100k_base", null, null,
        budget);
  }

  @Test
  void theModelsAnswerIsScoredAgainstTheNeedle() throws Exception {
    NiahSettings settings = new NiahSettings(new NiahGrid(List.of(2_000, 6_000), List.of(0.0, 100.0)),
        NeedleSet.defaultSingle(), 0.5, "end-to-end", "scripted");
    try (ScriptedChatServer server = new ScriptedChatServer(200, EndToEndProbeTest::reader);
        EndToEndProbe probe = new EndToEndProbe(Parts.probeParts(), profile(server.baseUrl(), 4_000, 3_000),
            Mode.AUTO, RoutingModelClient.withDefaults())) {
      NiahResult result = new NiahRun(Parts.mobyDick(), probe).run(settings, (done, total) -> { });
      assertThat(server.requests()).isEqualTo(4);
      // 2K fits the 3,500-token prompt window and is stuffed; 6K is not, and retrieval packs the needle's chunk
      List<NiahCell> cells = result.cells();
      assertThat(cells.subList(0, 2)).allSatisfy(c -> assertThat(c.detail()).startsWith("plan stuff"));
      assertThat(cells.subList(2, 4)).allSatisfy(c -> assertThat(c.detail()).startsWith("plan retrieve"));
      for (NiahCell cell : cells) {
        // the scripted reader answers exactly when the needle reached the prompt
        boolean inContext = cell.detail().contains("1 of 1 needles in the context");
        assertThat(cell.found()).as(cell.toString()).isEqualTo(inContext);
        assertThat(cell.score()).isEqualTo(inContext ? 1.0 : 0.0);
        assertThat(cell.detail()).contains(inContext ? "Dolores Park" : "do not say");
      }
      assertThat(cells.subList(0, 2)).allSatisfy(c -> assertThat(c.found()).isTrue());
      assertThat(cells.get(2).found()).as("at 0%% the needle's chunk is the best fused chunk: %s", cells.get(2))
          .isTrue();
      assertThat(cells.subList(0, 2)).allSatisfy(c -> assertThat(c.rank()).isNull());
      assertThat(cells.subList(2, 4)).allSatisfy(c -> assertThat(c.rank()).isNotNull());
    }
  }

  @Test
  void aNeedleLeftOutOfTheRetrievedContextIsNotAnsweredAndAFailingServerFailsOnlyItsCells() throws Exception {
    NiahSettings settings = new NiahSettings(new NiahGrid(List.of(9_000), List.of(50.0)),
        NeedleSet.defaultSingle(), 0.5, "end-to-end", "scripted");
    try (ScriptedChatServer server = new ScriptedChatServer(200, prompt -> "The documents do not say.");
        EndToEndProbe probe = new EndToEndProbe(Parts.probeParts(), profile(server.baseUrl(), 4_000, 3_000),
            Mode.RETRIEVE, RoutingModelClient.withDefaults())) {
      NiahCell cell = new NiahRun(Parts.mobyDick(), probe).run(settings, (done, total) -> { }).cells().get(0);
      assertThat(cell.found()).isFalse();
      assertThat(cell.score()).isLessThan(0.5);
    }
    try (ScriptedChatServer server = new ScriptedChatServer(400, prompt -> "");
        EndToEndProbe probe = new EndToEndProbe(Parts.probeParts(), profile(server.baseUrl(), 4_000, 3_000),
            Mode.AUTO, RoutingModelClient.withDefaults())) {
      NiahResult result = new NiahRun(Parts.mobyDick(), probe).run(new NiahSettings(
          new NiahGrid(List.of(1_000), List.of(0.0, 100.0)), NeedleSet.defaultSingle()), (done, total) -> { });
      assertThat(result.cells()).hasSize(2).allSatisfy(c -> {
        assertThat(c.found()).isFalse();
        assertThat(c.detail()).startsWith("the model failed (REFUSED)");
      });
    }
  }

  @Test
  void aProfileWithoutAModelIsRefused() {
    assertThatThrownBy(() -> new EndToEndProbe(Parts.probeParts(), Parts.profile("qwen3", 262_144, 30_000),
        Mode.AUTO, RoutingModelClient.withDefaults())).hasMessage(
            "end-to-end needs a model: profile 'qwen3' has no base URL");
  }
}
