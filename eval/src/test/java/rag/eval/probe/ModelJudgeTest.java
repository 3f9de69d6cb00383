package rag.eval.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import rag.eval.niah.AnswerJudge.Grade;
import rag.eval.niah.NeedleSet;
import rag.eval.niah.NiahCell;
import rag.eval.niah.NiahGrid;
import rag.eval.niah.NiahRun;
import rag.eval.niah.NiahSettings;
import rag.query.generate.RoutingModelClient;
import rag.query.plan.Mode;
import rag.query.profile.ModelProfile;

/**
 * The judge model over a scripted OpenAI-compatible server (real socket): a paraphrase that word matching scores
 * below the threshold is found on the judge's grade; replies without a score and failing judges grade 0, saying why.
 */
class ModelJudgeTest {
  private static final String PARAPHRASE = "Have a sandwich in Dolores Park when the sun is out.";

  private static ModelProfile profile(String baseUrl) {
    return new ModelProfile("judge", baseUrl, "judge-model", null, 8_000, 16, "cl100k_base", null, null, 4_000);
  }

  /** The reader paraphrases the needle when the prompt holds it; the judge grades 9 when Dolores Park is named. */
  private static String script(String prompt) {
    if (prompt.startsWith("Question: ")) {
      String graded = prompt.substring(prompt.indexOf("Answer to grade: "));
      return graded.contains("Dolores Park") ? "9" : "Score: 2";
    }
    return prompt.contains(NeedleSet.DEFAULT_NEEDLE) ? PARAPHRASE : "The documents do not say.";
  }

  @Test
  void aParaphraseIsFoundOnTheJudgesGrade() throws Exception {
    NiahSettings settings = new NiahSettings(new NiahGrid(List.of(2_000), List.of(50.0)), NeedleSet.defaultSingle(),
        0.5, "end-to-end", "scripted");
    try (ScriptedChatServer server = new ScriptedChatServer(200, ModelJudgeTest::script);
        EndToEndProbe probe = new EndToEndProbe(Parts.probeParts(), profile(server.baseUrl()), Mode.STUFF,
            RoutingModelClient.withDefaults())) {
      NiahCell byWords = new NiahRun(Parts.mobyDick(), probe).run(settings, (done, total) -> { }).cells().get(0);
      assertThat(byWords.found()).as("word matching alone: %s", byWords).isFalse();

      ModelJudge judge = new ModelJudge(profile(server.baseUrl()), RoutingModelClient.withDefaults());
      NiahCell judged = new NiahRun(Parts.mobyDick(), probe, judge).run(settings, (done, total) -> { }).cells().get(0);
      assertThat(judged.found()).isTrue();
      assertThat(judged.score()).isEqualTo(0.9);
      assertThat(judged.detail()).contains("judge 0.9 (9), word match 0.");
      assertThat(judge.name()).isEqualTo("judge (judge-model)");
    }
  }

  @Test
  void aReplyWithoutAScoreOrAFailingJudgeGradesZeroAndSaysWhy() throws Exception {
    try (ScriptedChatServer server = new ScriptedChatServer(200, prompt -> "I cannot say.")) {
      Grade grade = new ModelJudge(profile(server.baseUrl()), RoutingModelClient.withDefaults())
          .grade("Q?", "the answer", "an answer");
      assertThat(grade.score()).isZero();
      assertThat(grade.reason()).isEqualTo("the judge's reply holds no score from 1 to 10: I cannot say.");
    }
    try (ScriptedChatServer server = new ScriptedChatServer(200, prompt -> "Score: 2 of 10, it misses the park.")) {
      assertThat(new ModelJudge(profile(server.baseUrl()), RoutingModelClient.withDefaults())
          .grade("Q?", "the answer", "an answer").score()).isEqualTo(0.2);
    }
    try (ScriptedChatServer server = new ScriptedChatServer(400, prompt -> "")) {
      Grade grade = new ModelJudge(profile(server.baseUrl()), RoutingModelClient.withDefaults())
          .grade("Q?", "the answer", "an answer");
      assertThat(grade.score()).isZero();
      assertThat(grade.reason()).startsWith("the judge failed (REFUSED)");
    }
  }
}
