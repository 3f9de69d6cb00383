package rag.query.cite;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import rag.query.assemble.Cited;

/**
 * The answer when no model is configured: the sentences of the best passages that share the most
 * (inverse-frequency weighted) content words with the question, each with its citation. It says
 * plainly that it is extractive.
 */
public final class ExtractiveAnswerer {
  public static final String PREAMBLE = "No language model is configured, so this answer is extractive: the sentences"
      + " of the archive that best match the question.\n";
  public static final String NOTHING = "No passage in the scope matches the question.";

  private final int maxSentences;

  public ExtractiveAnswerer(int maxSentences) {
    this.maxSentences = maxSentences;
  }

  public record Extract(String answer, List<Citation> citations) {}

  private record Candidate(Cited cited, int rank, String sentence, Set<String> terms) {}

  /** @param passages the best passages first */
  public Extract answer(String question, List<Cited> passages) {
    Set<String> wanted = new HashSet<>(Terms.of(question));
    List<Candidate> candidates = new ArrayList<>();
    Map<String, Integer> documentFrequency = new HashMap<>();
    for (int r = 0; r < passages.size(); r++) {
      for (String sentence : Sentences.of(passages.get(r).text())) {
        Set<String> terms = new HashSet<>(Terms.of(sentence));
        terms.retainAll(wanted);
        if (!terms.isEmpty() && sentence.split("\\s+").length >= 4) {
          candidates.add(new Candidate(passages.get(r), r, sentence, terms));
          terms.forEach(t -> documentFrequency.merge(t, 1, Integer::sum));
        }
      }
    }
    int n = candidates.size();
    Map<Candidate, Double> scores = new HashMap<>();
    for (Candidate c : candidates) {
      double score = 0;
      for (String t : c.terms()) {
        score += Math.log(1 + (double) n / documentFrequency.get(t));
      }
      scores.put(c, score + 0.5 / (1 + c.rank())); // the retrievers' order breaks near-ties
    }
    candidates.sort(Comparator.comparingDouble((Candidate c) -> scores.get(c)).reversed());
    List<Candidate> chosen = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Map<Integer, Integer> perPassage = new HashMap<>();
    for (Candidate c : candidates) {
      if (chosen.size() == maxSentences) {
        break;
      }
      if (seen.add(c.sentence()) && perPassage.merge(c.cited().number(), 1, Integer::sum) <= 2) {
        chosen.add(c);
      }
    }
    if (chosen.isEmpty()) {
      return new Extract(NOTHING, List.of());
    }
    double best = scores.get(chosen.get(0));
    StringBuilder answer = new StringBuilder(PREAMBLE);
    List<Citation> citations = new ArrayList<>();
    for (Candidate c : chosen) {
      answer.append("\n- ").append(c.sentence()).append(" [").append(c.cited().label()).append(']');
      citations.add(Citations.of(c.cited(), c.sentence(), scores.get(c) / best));
    }
    return new Extract(answer.toString(), citations);
  }
}
