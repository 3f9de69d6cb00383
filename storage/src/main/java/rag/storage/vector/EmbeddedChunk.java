package rag.storage.vector;

import java.util.Objects;
import rag.storage.model.Chunk;

/** A chunk with its embedding. */
public record EmbeddedChunk(Chunk chunk, float[] vector) {
  public EmbeddedChunk {
    Objects.requireNonNull(chunk, "chunk");
    Objects.requireNonNull(vector, "vector");
  }
}
