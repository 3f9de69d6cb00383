package rag.storage.vector;

import java.util.Objects;
import rag.storage.model.SearchFilter;

/**
 * Nearest neighbours of {@code vector} by cosine similarity. {@code model} names the embedding model that made the
 * vector, so that it is only compared with vectors of the same model ({@link VectorGeneration}); null means the
 * archive's current model (the configured embedder's).
 */
public record VectorQuery(float[] vector, SearchFilter filter, int k, String model) {
  public VectorQuery {
    Objects.requireNonNull(vector, "vector");
    filter = filter == null ? SearchFilter.all() : filter;
    if (k < 1 || k > 10_000) {
      throw new IllegalArgumentException("illegal k " + k + ", must be in 1..10000");
    }
  }

  /** A vector of the archive's current model. */
  public VectorQuery(float[] vector, SearchFilter filter, int k) {
    this(vector, filter, k, null);
  }

  public VectorQuery withK(int newK) {
    return new VectorQuery(vector, filter, newK, model);
  }
}
