package rag.query.admission;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rag.storage.embed.Embedder;

/**
 * Embeds questions within a bulkhead: a burst of questions queues briefly or is refused, and ingest keeps its CPU.
 * The last {@value #CACHED} questions' vectors are kept, so a question asked again (a dashboard, a retry, a follow-up
 * search) costs neither an embedding nor a place.
 */
public final class AdmittedEmbedder implements Embedder {
  static final int CACHED = 2048;

  private final Embedder inner;
  private final Bulkhead bound;
  private final Map<String, float[]> recent = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
      return size() > CACHED;
    }
  };

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
    float[] cached;
    synchronized (recent) {
      cached = recent.get(question);
    }
    if (cached != null) {
      return cached.clone();
    }
    float[] vector;
    try (Bulkhead.Permit permit = bound.acquire(1)) {
      vector = inner.embedQuery(question);
    }
    synchronized (recent) {
      recent.put(question, vector.clone());
    }
    return vector;
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
