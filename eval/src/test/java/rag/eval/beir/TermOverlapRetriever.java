package rag.eval.beir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import rag.eval.metrics.ScoredDoc;

/** Scores a document by how many distinct query words its title and text contain; small enough to check by hand. */
final class TermOverlapRetriever implements RankedRetriever {
  private final List<BeirDocument> corpus = new ArrayList<>();
  int indexCalls;

  @Override
  public String name() {
    return "term-overlap";
  }

  @Override
  public void index(List<BeirDocument> documents) {
    indexCalls++;
    corpus.clear();
    corpus.addAll(documents);
  }

  @Override
  public List<ScoredDoc> search(String query, int k) {
    Set<String> queryWords = words(query);
    List<ScoredDoc> hits = new ArrayList<>();
    for (BeirDocument doc : corpus) {
      Set<String> docWords = words(doc.titleAndText());
      long overlap = queryWords.stream().filter(docWords::contains).count();
      if (overlap > 0) {
        hits.add(new ScoredDoc(doc.id(), overlap));
      }
    }
    // corpus order on ties, on purpose: the run must rank ties by id itself
    hits.sort(Comparator.comparingDouble(ScoredDoc::score).reversed());
    return hits.subList(0, Math.min(k, hits.size()));
  }

  private static Set<String> words(String text) {
    return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")).filter(w -> !w.isEmpty())
        .collect(Collectors.toSet());
  }
}
