package rag.eval.beir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Relevance judgments: query id to (document id to grade), in file order. */
public record Qrels(Map<String, Map<String, Integer>> byQuery) {
  public Qrels {
    Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
    byQuery.forEach((query, docs) -> copy.put(query, Map.copyOf(docs)));
    byQuery = Collections.unmodifiableMap(copy);
  }

  /** The judgments of one query; empty when it has none. */
  public Map<String, Integer> judgments(String queryId) {
    return byQuery.getOrDefault(queryId, Map.of());
  }

  public Set<String> queryIds() {
    return byQuery.keySet();
  }

  public int pairs() {
    return byQuery.values().stream().mapToInt(Map::size).sum();
  }
}
