package rag.storage.lexical;

/** BM25 parameters. The defaults are Anserini's (k1 0.9, b 0.4), tuned for passage retrieval. */
public record Bm25Params(float k1, float b) {
  public static final Bm25Params DEFAULT = new Bm25Params(0.9f, 0.4f);

  public Bm25Params {
    if (!(k1 >= 0) || Float.isInfinite(k1)) {
      throw new IllegalArgumentException("illegal k1 value: " + k1 + ", must be a non-negative finite value");
    }
    if (!(b >= 0 && b <= 1)) {
      throw new IllegalArgumentException("illegal b value: " + b + ", must be between 0 and 1");
    }
  }
}
