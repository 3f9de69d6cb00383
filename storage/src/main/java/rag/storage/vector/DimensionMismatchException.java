package rag.storage.vector;

/**
 * The vector index was built with another embedding dimension than the configured embedder's.
 * The index cannot mix dimensions: the archive must be re-indexed.
 */
public final class DimensionMismatchException extends IllegalStateException {
  private final int stored;
  private final int configured;

  public DimensionMismatchException(String where, int stored, String storedModel, int configured,
      String configuredModel) {
    super("the vector index at " + where + " holds " + stored + "-dimension vectors (model " + storedModel
        + ") but the configured embedding model " + configuredModel + " produces " + configured
        + "-dimension vectors; re-index: remove the vector index (" + where
        + ") and re-ingest the archive, or configure the original embedding model again");
    this.stored = stored;
    this.configured = configured;
  }

  public int stored() {
    return stored;
  }

  public int configured() {
    return configured;
  }
}
