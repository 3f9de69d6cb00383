package rag.storage.vector;

/**
 * A vector store was opened for vectors of another dimension (or, for Lucene, another model) than those it holds.
 * Each {@link VectorGeneration} has a store of its own, so this means the store on disk is not the generation's (a
 * folder or table from elsewhere). A change of embedding model never causes it: that opens a new generation.
 */
public final class DimensionMismatchException extends IllegalStateException {
  private final int stored;
  private final int configured;

  public DimensionMismatchException(String where, int stored, String storedModel, int configured,
      String configuredModel) {
    super("the vector index at " + where + " holds " + stored + "-dimension vectors (model " + storedModel
        + "), not the " + configured + "-dimension vectors of model " + configuredModel + " it was opened for");
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
