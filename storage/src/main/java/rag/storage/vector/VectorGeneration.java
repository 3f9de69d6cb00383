package rag.storage.vector;

import java.util.Objects;

/**
 * The vectors of one embedding model: its name and dimension. Vectors of different generations are never compared
 * (a question embedded by one model means nothing to another model's vectors), so each generation has a store of its
 * own and each collection searches exactly one generation. Ids are given by the catalog and never reused.
 */
public record VectorGeneration(int id, String model, int dimension) {
  public VectorGeneration {
    Objects.requireNonNull(model, "model");
    if (id < 1) {
      throw new IllegalArgumentException("illegal vector generation id " + id + ", must be >= 1");
    }
    if (dimension < 1 || dimension > 4096) {
      throw new IllegalArgumentException("illegal vector dimension " + dimension + ", must be in 1..4096");
    }
  }

  /** True when vectors of {@code model} with {@code dimension} belong to this generation. */
  public boolean isOf(String otherModel, int otherDimension) {
    return model.equals(otherModel) && dimension == otherDimension;
  }

  /** For people: {@code bge-small-en-v1.5-q (384 dimensions)}. */
  public String describe() {
    return model + " (" + dimension + " dimensions)";
  }
}
