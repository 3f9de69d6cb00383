package rag.eval.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders results the way trec_eval does before it measures anything: the retriever's own order is ignored and
 * results are sorted by score descending, ties broken by document id descending ({@code strcmp(b, a)} in
 * trec_eval's {@code comp_sim_docno}; here {@link String#compareTo}, which agrees with it for ASCII ids). trec_eval
 * rejects a run that names a document twice for one query; here the first occurrence with the highest score is kept.
 */
public final class TrecOrder {
  static final Comparator<ScoredDoc> ORDER = Comparator.comparingDouble(ScoredDoc::score).reversed()
      .thenComparing(ScoredDoc::id, Comparator.reverseOrder());

  private TrecOrder() {}

  public static List<ScoredDoc> sort(List<ScoredDoc> results) {
    Map<String, ScoredDoc> best = new LinkedHashMap<>();
    for (ScoredDoc doc : results) {
      best.merge(doc.id(), doc, (kept, other) -> other.score() > kept.score() ? other : kept);
    }
    List<ScoredDoc> sorted = new ArrayList<>(best.values());
    sorted.sort(ORDER);
    return sorted;
  }

  public static List<String> rankedIds(List<ScoredDoc> results) {
    return sort(results).stream().map(ScoredDoc::id).toList();
  }
}
