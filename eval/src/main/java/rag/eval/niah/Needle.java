package rag.eval.niah;

import java.util.Objects;

/**
 * A sentence hidden in a haystack, and the part of it that answers the question ({@code answer}, which the scorer
 * looks for in a model's answer). {@link #of(String)} makes the whole sentence the answer.
 */
public record Needle(String text, String answer) {
  public Needle {
    text = Objects.requireNonNull(text, "text").strip();
    answer = Objects.requireNonNull(answer, "answer").strip();
    if (text.isEmpty() || answer.isEmpty()) {
      throw new IllegalArgumentException("a needle needs a non-blank text and answer");
    }
  }

  public static Needle of(String text) {
    return new Needle(text, text);
  }
}
