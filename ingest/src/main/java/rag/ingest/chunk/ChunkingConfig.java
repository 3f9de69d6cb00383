package rag.ingest.chunk;

/** Chunk size and overlap in tokens (as counted by the shared {@link rag.storage.embed.TokenCounter}). */
public record ChunkingConfig(int maxTokens, int overlapTokens) {
  public static final ChunkingConfig DEFAULT = new ChunkingConfig(400, 50);

  public ChunkingConfig {
    if (maxTokens < 16 || maxTokens > 8192) {
      throw new IllegalArgumentException("illegal chunk size " + maxTokens + " tokens, must be in 16..8192");
    }
    if (overlapTokens < 0 || overlapTokens > maxTokens / 2) {
      throw new IllegalArgumentException("illegal chunk overlap " + overlapTokens + " tokens, must be in 0.."
          + maxTokens / 2);
    }
  }
}
