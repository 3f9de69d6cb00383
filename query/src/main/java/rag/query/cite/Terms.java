package rag.query.cite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Content words for matching sentences: lower case, stop words out, plural 's' folded. */
final class Terms {
  private static final Set<String> STOP = Set.of("a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if",
      "in", "into", "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
      "these", "they", "this", "to", "was", "will", "with", "what", "which", "who", "whom", "how", "why", "when",
      "where", "do", "does", "did", "can", "could", "would", "should", "has", "have", "had", "i", "you", "we",
      "he", "she", "his", "her", "its", "our", "your", "from", "about", "me", "my", "so", "than", "too", "very",
      "been", "being", "were", "also", "any", "all", "some", "more", "most", "other", "only", "same", "own");

  private Terms() {}

  static List<String> of(String text) {
    List<String> terms = new ArrayList<>();
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (word.isEmpty() || STOP.contains(word)) {
        continue;
      }
      terms.add(word.length() > 3 && word.endsWith("s") && !word.endsWith("ss")
          ? word.substring(0, word.length() - 1) : word);
    }
    return terms;
  }
}
