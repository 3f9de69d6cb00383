package rag.eval.beir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One retriever on one dataset split: metrics by label ({@code ndcg@10}, {@code recall@10}, {@code recall@100},
 * {@code mrr@10}; each the mean over the evaluated queries), one row per query, and timings. Serializes with
 * Jackson as is.
 */
public record RetrievalResult(String dataset, String split, String retriever, int documents, int queries,
    Map<String, Double> metrics, List<QueryRow> perQuery, RetrievalTimings timings) {
  public RetrievalResult {
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    perQuery = List.copyOf(perQuery);
  }
}
