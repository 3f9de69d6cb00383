package rag.eval.niah;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Scores a free-text answer against an expected answer. Words are runs of letters and digits, lower-cased; content
 * words are words that are not English stop words (when the expected answer has only stop words, all its words
 * count). See {@link AnswerScore} for exact and partial.
 */
public final class AnswerScorer {
  public AnswerScore score(String answer, String expected) {
    List<String> expectedWords = words(expected);
    if (expectedWords.isEmpty()) {
      throw new IllegalArgumentException("expected answer has no words: '" + expected + "'");
    }
    List<String> answerWords = answer == null ? List.of() : words(answer);
    boolean exact = (" " + String.join(" ", answerWords) + " ").contains(" " + String.join(" ", expectedWords) + " ");
    Set<String> content = new LinkedHashSet<>();
    expectedWords.stream().filter(w -> !StopWords.ENGLISH.contains(w)).forEach(content::add);
    if (content.isEmpty()) {
      content.addAll(expectedWords);
    }
    Set<String> present = Set.copyOf(answerWords);
    long matched = content.stream().filter(present::contains).count();
    return new AnswerScore(exact, (double) matched / content.size());
  }

  static List<String> words(String text) {
    return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")).filter(w -> !w.isEmpty()).toList();
  }
}
