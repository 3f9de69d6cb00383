package rag.eval.qa;

import java.util.List;

/**
 * A question of a set: its id, its words, the passages any of which a correct retrieval holds, and an answer.
 * {@code drafted}: written by a model ({@link QuestionDrafter}) and not yet checked by a person.
 */
public record QaQuestion(String id, String question, List<ExpectedPassage> expected, String answer,
    boolean drafted) {
  public QaQuestion(String id, String question, List<ExpectedPassage> expected, String answer) {
    this(id, question, expected, answer, false);
  }

  public QaQuestion {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a question needs an \"id\"");
    }
    if (question == null || question.isBlank()) {
      throw new IllegalArgumentException("question " + id + " needs a \"question\"");
    }
    if (expected == null || expected.isEmpty()) {
      throw new IllegalArgumentException("question " + id + " needs at least one \"expected\" passage");
    }
    expected = List.copyOf(expected);
  }
}
