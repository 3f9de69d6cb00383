package rag.eval.metrics;

import java.util.Objects;

/** A retrieved document id with the retriever's score (higher is better). */
public record ScoredDoc(String id, double score) {
  public ScoredDoc {
    Objects.requireNonNull(id, "id");
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("score of document '" + id + "' is NaN");
    }
  }
}
