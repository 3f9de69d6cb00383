package rag.storage.vector;

import java.util.Objects;
import rag.storage.model.SearchFilter;

/** Nearest neighbours of {@code vector} by cosine similarity. */
public record VectorQuery(float[] vector, SearchFilter filter, int k) {
  public VectorQuery {
    Objects.requireNonNull(vector, "vector");
    filter = filter == null ? SearchFilter.all() : filter;
    if (k < 1 || k > 10_000) {
      throw new IllegalArgumentException("illegal k " + k + ", must be in 1..10000");
    }
  }
}
