package rag.eval.niah;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AnswerScorerTest {
  private final AnswerScorer scorer = new AnswerScorer();
  private static final String NEEDLE = NeedleSet.DEFAULT_NEEDLE;

  @Test
  void exactMatchIgnoresCasePunctuationAndSpacing() {
    AnswerScore score = scorer.score("Answer:  the BEST thing to do in San Francisco is eat a sandwich, and sit in "
        + "Dolores Park on a sunny day!", NEEDLE);
    assertThat(score.exact()).isTrue();
    assertThat(score.value()).isEqualTo(1.0);
  }

  @Test
  void partialCountsContentWordsOfTheExpectedAnswer() {
    // content words of the needle: best, thing, san, francisco, eat, sandwich, sit, dolores, park, sunny, day (11)
    AnswerScore score = scorer.score("Eat a sandwich and sit in Dolores Park on a sunny day.", NEEDLE);
    assertThat(score.exact()).isFalse();
    assertThat(score.partial()).isCloseTo(7.0 / 11, within(1e-12));
    assertThat(score.value()).isCloseTo(7.0 / 11, within(1e-12));
    // against the default set's expected answer the same text is exact
    assertThat(scorer.score("Eat a sandwich and sit in Dolores Park on a sunny day.",
        NeedleSet.defaultSingle().targets().get(0).answer()).exact()).isTrue();
  }

  @Test
  void wordsMustBeWholeWordsAndRepeatsCountOnce() {
    assertThat(scorer.score("parks and sandwiches", "park sandwich").partial()).isZero();
    assertThat(scorer.score("dolores", "Dolores Dolores park").partial()).isCloseTo(0.5, within(1e-12));
    assertThat(scorer.score("the number is 17340912", "7340912").value()).isZero();
    assertThat(scorer.score("the number is 7340912.", "7340912").exact()).isTrue();
  }

  @Test
  void noAnswerScoresZeroAndAStopWordOnlyAnswerUsesAllItsWords() {
    assertThat(scorer.score(null, NEEDLE).value()).isZero();
    assertThat(scorer.score("", NEEDLE).value()).isZero();
    assertThat(scorer.score("not now", "to be or not to be").partial()).isCloseTo(1.0 / 4, within(1e-12));
    assertThatThrownBy(() -> scorer.score("x", " ... ")).hasMessageContaining("has no words");
  }
}
