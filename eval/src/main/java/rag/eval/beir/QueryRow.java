package rag.eval.beir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One evaluated query: its metrics by label, how many results came back, and how long the search took. */
public record QueryRow(String queryId, Map<String, Double> metrics, int retrieved, double latencyMillis) {
  public QueryRow {
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }
}
