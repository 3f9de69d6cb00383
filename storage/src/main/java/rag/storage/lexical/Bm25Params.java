package rag.storage.lexical;

/**
 * BM25 parameters. The defaults are Anserini's (k1 0.9, b 0.4), tuned for passage retrieval. {@code titleWeight}
 * weighs matches in the chunk's header (title or file name, section, speaker) against matches in its text (1); 0
 * leaves headers out of the ranking.
 */
public record Bm25Params(float k1, float b, float titleWeight) {
  public static final float DEFAULT_TITLE_WEIGHT = 0.5f;
  public static final Bm25Params DEFAULT = new Bm25Params(0.9f, 0.4f, DEFAULT_TITLE_WEIGHT);

  public Bm25Params(float k1, float b) {
    this(k1, b, DEFAULT_TITLE_WEIGHT);
  }

  public Bm25Params {
    if (!(titleWeight >= 0 && titleWeight <= 10)) {
      throw new IllegalArgumentException("illegal title weight: " + titleWeight + ", must be between 0 and 10");
    }
    if (!(k1 >= 0) || Float.isInfinite(k1)) {
      throw new IllegalArgumentException("illegal k1 value: " + k1 + ", must be a non-negative finite value");
    }
    if (!(b >= 0 && b <= 1)) {
      throw new IllegalArgumentException("illegal b value: " + b + ", must be between 0 and 1");
    }
  }
}
