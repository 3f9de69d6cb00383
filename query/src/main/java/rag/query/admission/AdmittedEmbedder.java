package rag.query.admission;

import java.util.List;
import rag.storage.embed.Embedder;

/** Embeds questions within a bulkhead: a burst of questions queues briefly or is refused, and ingest keeps its CPU. */
public final class AdmittedEmbedder implements Embedder {
  private final Embedder inner;
  private final Bulkhead bound;

  public AdmittedEmbedder(Embedder inner, Bulkhead bound) {
    this.inner = inner;
    this.bound = bound;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    try (Bulkhead.Permit permit = bound.acquire(1)) {
      return inner.embed(texts);
    }
  }

  @Override
  public float[] embedQuery(String question) {
    try (Bulkhead.Permit permit = bound.acquire(1)) {
      return inner.embedQuery(question);
    }
  }

  @Override
  public int dimension() {
    return inner.dimension();
  }

  @Override
  public String modelName() {
    return inner.modelName();
  }
}
