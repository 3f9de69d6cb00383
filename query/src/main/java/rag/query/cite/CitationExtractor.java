package rag.query.cite;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rag.query.assemble.CitationIndex;
import rag.query.assemble.Cited;

/**
 * Finds the citation ids a model wrote ({@code [C3]}, {@code [C3, C7]}, {@code [C3][C7]}) and turns
 * each into a {@link Citation} whose snippet is the sentence of the cited passage that best matches
 * the statement citing it. An id the prompt does not have, or a passage sharing no content word
 * with the statement, gives no citation: a citation is only emitted for text really in the passage.
 */
public final class CitationExtractor {
  private static final Pattern GROUP = Pattern.compile("\\[\\s*(C\\d{1,9}(?:\\s*[,;]\\s*C?\\d{1,9})*)\\s*]");
  private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");

  private CitationExtractor() {}

  public static List<Citation> extract(String answer, CitationIndex index) {
    Map<String, Citation> citations = new LinkedHashMap<>();
    Matcher m = GROUP.matcher(answer);
    while (m.find()) {
      String statement = GROUP.matcher(statementAround(answer, m.start())).replaceAll(" ");
      Matcher n = NUMBER.matcher(m.group(1));
      while (n.find()) {
        int number = Integer.parseInt(n.group());
        Optional<Cited> cited = index.resolve(number);
        if (cited.isEmpty()) {
          continue;
        }
        best(cited.get(), statement).ifPresent(c -> citations.putIfAbsent(c.id() + "\u0000" + c.snippet(), c));
      }
    }
    return new ArrayList<>(citations.values());
  }

  /** The sentence of the cited text sharing the most content words with the statement, if any. */
  static Optional<Citation> best(Cited cited, String statement) {
    Set<String> wanted = new HashSet<>(Terms.of(statement));
    if (wanted.isEmpty()) {
      return Optional.empty();
    }
    String bestSentence = null;
    double bestScore = 0;
    for (String sentence : Sentences.of(cited.text())) {
      Set<String> terms = new HashSet<>(Terms.of(sentence));
      terms.retainAll(wanted);
      double score = (double) terms.size() / wanted.size();
      if (score > bestScore) {
        bestScore = score;
        bestSentence = sentence;
      }
    }
    return bestSentence == null ? Optional.empty() : Optional.of(Citations.of(cited, bestSentence, bestScore));
  }

  /** The sentence of the answer that ends at or contains the marker at {@code at}. */
  private static String statementAround(String answer, int at) {
    int start = at;
    while (start > 0 && !endsSentence(answer, start - 1)) {
      start--;
    }
    int end = at;
    while (end < answer.length() && answer.charAt(end) != '\n' && !(answer.charAt(end) == '.' && end > at)) {
      end++;
    }
    String statement = answer.substring(start, end);
    if (Terms.of(GROUP.matcher(statement).replaceAll(" ")).isEmpty() && start > 0) {
      return statementAround(answer, start - 1); // a marker alone after the sentence it supports
    }
    return statement;
  }

  private static boolean endsSentence(String text, int i) {
    char c = text.charAt(i);
    return c == '\n' || ((c == '.' || c == '!' || c == '?') && i + 1 < text.length()
        && Character.isWhitespace(text.charAt(i + 1)));
  }
}
