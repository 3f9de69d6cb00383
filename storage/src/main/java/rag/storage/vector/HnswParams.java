package rag.storage.vector;

/**
 * HNSW graph parameters shared by both engines: {@code m} links per node, {@code efConstruction}
 * the build-time beam, {@code efSearch} the query-time beam (candidates examined).
 */
public record HnswParams(int m, int efConstruction, int efSearch) {
  public static final HnswParams DEFAULT = new HnswParams(16, 128, 50);

  public HnswParams {
    if (m < 2 || m > 100) {
      throw new IllegalArgumentException("illegal HNSW m " + m + ", must be in 2..100");
    }
    if (efConstruction < 4 || efConstruction > 1000) {
      throw new IllegalArgumentException("illegal HNSW ef_construction " + efConstruction + ", must be in 4..1000");
    }
    if (efSearch < 1 || efSearch > 1000) {
      throw new IllegalArgumentException("illegal HNSW ef_search " + efSearch + ", must be in 1..1000");
    }
  }
}
