package rag.app.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import rag.app.api.ProblemException;
import rag.storage.problem.ProblemType;
import rag.eval.niah.NeedleVariant;
import rag.eval.stack.ArchiveRetriever;
import rag.eval.stack.ScratchArchive;
import rag.query.profile.ModelProfile;
import rag.query.profile.ModelProfiles;

/** Settings become plans with every default filled in, sorted and deduplicated, or a precise problem. */
class EvalRequestsTest {
  private static NiahRequest niah(List<Integer> lengths, List<Double> depths, String variant) {
    return new NiahRequest(null, null, null, null, lengths, depths, null, null, null, variant, null, null, null,
        null);
  }

  private static NiahRequest judged(String mode, String profile, String judge) {
    return new NiahRequest(null, null, profile, mode, null, null, null, null, null, null, null, null, null, judge);
  }

  /** qwen3 and llama4-scout without model servers, as built in; scripted with one (never called here). */
  private static final ModelProfiles PROFILES = new ModelProfiles(List.of(
      new ModelProfile("qwen3", null, "qwen3", null, 262_144, 4_096, "cl100k_base", null, null, 32_768),
      new ModelProfile("llama4-scout", null, "llama4-scout", null, 10_000_000, 8_192, "cl100k_base", null, null,
          131_072),
      new ModelProfile("scripted", "http://127.0.0.1:9/v1", "m", null, 32_768, 1_024, "cl100k_base", null, null,
          4_096)), "qwen3");

  @Test
  void defaultsAreFilledInAndTheGridIsSortedAscending() throws Exception {
    Path root = Files.createTempDirectory("eval-requests");
    Files.writeString(Files.createDirectories(root.resolve("texts")).resolve("a.txt"), "One sentence. Two.");
    try (ScratchArchive scratch = ScratchArchive.open(root, 384, "none")) {
      EvalRequests requests = new EvalRequests(PROFILES, new EvalLimits(100_000, 400, 2_048),
          List.of(root), scratch.archive().reader());

      NiahPlan defaults = requests.niah(null, true);
      assertThat(defaults.settings().contextLengths()).containsExactly(1000, 2000, 4000, 8000, 16000, 32000, 64000)
          .allMatch(l -> l <= 100_000);
      assertThat(defaults.settings().depthPercents()).containsExactly(0.0, 25.0, 50.0, 75.0, 100.0);
      assertThat(defaults.settings().mode()).isEqualTo("retrieve");
      assertThat(defaults.settings().profile()).isEqualTo("qwen3");
      assertThat(defaults.settings().question()).isEqualTo("What is the best thing to do in San Francisco?");
      assertThat(defaults.documentTokens()).isEqualTo(2_048);
      assertThat(defaults.haystackPath()).isNull();

      NiahPlan plan = requests.niah(new NiahRequest(root.resolve("texts/../texts").toString(), null, "llama4-scout",
          "stuff", List.of(8000, 1000, 8000), List.of(100.0, 0.0), null, null, null, "multi-key", 4, 7L, null, null), true);
      assertThat(plan.grid().contextLengths()).containsExactly(1000, 8000);
      assertThat(plan.grid().depthPercents()).containsExactly(0.0, 100.0);
      assertThat(plan.haystackPath()).isEqualTo(root.resolve("texts").toRealPath());
      assertThat(plan.needles().variant()).isEqualTo(NeedleVariant.MULTI_KEY);
      assertThat(plan.needles().distractors()).hasSize(4);
      assertThat(plan.settings().needles()).isNull();
      assertThat(plan.settings().seed()).isEqualTo(7L);

      RetrievalPlan retrieval = requests.retrieval(new RetrievalRequest(EvalTestProfile.fixture().toString(),
          List.of("hybrid", "bm25", "hybrid"), null, null), false);
      assertThat(retrieval.retrievers()).containsExactly(ArchiveRetriever.Kind.HYBRID, ArchiveRetriever.Kind.BM25);
      assertThat(retrieval.settings().retrievers()).containsExactly("hybrid", "bm25");
      assertThat(retrieval.k()).isEqualTo(100);
      assertThat(retrieval.split()).isEqualTo("test");

      assertThatThrownBy(() -> requests.retrieval(new RetrievalRequest(EvalTestProfile.fixture().toString(), null,
          null, null), true)).isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type())
              .isEqualTo(ProblemType.FORBIDDEN_PATH));
      assertThatThrownBy(() -> requests.niah(niah(List.of(), null, null), true))
          .hasMessageStartingWith("contextLengths is empty");
      assertThatThrownBy(() -> requests.niah(niah(null, null, "several"), true))
          .hasMessage("illegal variant 'several', must be single, multi or multi-key");
      assertThatThrownBy(() -> requests.niah(new NiahRequest(null, null, null, null, null, null,
          List.of("A.", "B."), null, "Q?", "single", null, null, null, null), true))
          .hasMessage("variant single takes exactly one needle, got 2");

      NiahPlan withJudge = requests.niah(judged("end-to-end", "scripted", "scripted"), true);
      assertThat(withJudge.judge().name()).isEqualTo("scripted");
      assertThat(withJudge.settings().judgeProfile()).isEqualTo("scripted");
      assertThat(requests.niah(judged("end-to-end", "scripted", null), true).judge()).isNull();
      assertThatThrownBy(() -> requests.niah(judged("retrieve", null, "scripted"), true))
          .hasMessage("judgeProfile grades a model's answers: it needs mode end-to-end, not retrieve");
      assertThatThrownBy(() -> requests.niah(judged("end-to-end", "scripted", "qwen3"), true))
          .hasMessage("judgeProfile 'qwen3' has no base URL: a judge needs a model server");
      assertThatThrownBy(() -> requests.niah(judged("end-to-end", "scripted", "gpt-9"), true))
          .hasMessageStartingWith("there is no model profile 'gpt-9'");
    }
  }
}
