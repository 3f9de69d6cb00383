package rag.eval.beir;

import java.util.List;
import rag.eval.metrics.ScoredDoc;

/**
 * A retriever under evaluation. A run calls {@link #index} once with the whole corpus, then {@link #search} once per
 * query, from one thread. Results may come in any order and the run ranks them by score (see
 * {@link rag.eval.metrics.TrecOrder}), so the scores must be comparable within one query's results.
 */
public interface RankedRetriever {
  /** A short label for results and reports, for example "bm25" or "hybrid-rrf". */
  String name();

  /** Makes the corpus searchable, replacing anything indexed before. */
  void index(List<BeirDocument> corpus);

  /** At most {@code k} documents for the query; ids are {@link BeirDocument#id()}s. */
  List<ScoredDoc> search(String query, int k);
}
