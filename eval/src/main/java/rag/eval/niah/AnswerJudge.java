package rag.eval.niah;

import java.util.Objects;

/**
 * Grades an answer against the expected answer where word matching cannot (a paraphrase, a different number
 * format): the optional judge model of an end-to-end run.
 */
public interface AnswerJudge {
  /** The judge as the report names it, e.g. its profile and model. */
  String name();

  /** Never throws for a bad reply or a failing judge: the grade is then 0 and the reason says why. */
  Grade grade(String question, String expected, String answer);

  /** {@code score} in [0, 1]; {@code reason} is what the judge said, or why there is no grade. */
  record Grade(double score, String reason) {
    public Grade {
      if (!(score >= 0 && score <= 1)) {
        throw new IllegalArgumentException("illegal grade " + score + ", must be in [0, 1]");
      }
      Objects.requireNonNull(reason, "reason");
    }
  }
}
