package rag.eval.stack;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import rag.storage.embed.Embedder;

/**
 * Remembers, for the life of one evaluation, every vector it has computed, by the SHA-256 of the text (questions
 * separately, since models may prefix them). A NIAH haystack repeats its source text, and haystacks of different
 * lengths share their segments, so each distinct chunk text reaches the model once per run. Not thread-safe: a run
 * uses it from one thread. Counts what it passed on, for the run's timings.
 */
public final class MemoizingEmbedder implements Embedder {
  private final Embedder delegate;
  private final Map<String, float[]> texts = new HashMap<>();
  private final Map<String, float[]> questions = new HashMap<>();
  private long embeddedTexts;
  private long embeddingNanos;

  public MemoizingEmbedder(Embedder delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public List<float[]> embed(List<String> batch) {
    List<String> keys = batch.stream().map(MemoizingEmbedder::key).toList();
    Map<String, String> missing = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      if (!texts.containsKey(keys.get(i))) {
        missing.putIfAbsent(keys.get(i), batch.get(i));
      }
    }
    if (!missing.isEmpty()) {
      long start = System.nanoTime();
      List<float[]> fresh = delegate.embed(new ArrayList<>(missing.values()));
      embeddingNanos += System.nanoTime() - start;
      embeddedTexts += fresh.size();
      int i = 0;
      for (String key : missing.keySet()) {
        texts.put(key, fresh.get(i++));
      }
    }
    return keys.stream().map(texts::get).toList();
  }

  @Override
  public float[] embedQuery(String question) {
    float[] vector = questions.get(question);
    if (vector == null) {
      long start = System.nanoTime();
      vector = delegate.embedQuery(question);
      embeddingNanos += System.nanoTime() - start;
      questions.put(question, vector);
    }
    return vector;
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  @Override
  public String modelName() {
    return delegate.modelName();
  }

  /** Texts (not questions) that went to the model, each distinct text once. */
  public long embeddedTexts() {
    return embeddedTexts;
  }

  /** Time spent in the model, texts and questions. */
  public long embeddingMillis() {
    return embeddingNanos / 1_000_000;
  }

  static String key(String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return new String(sha.digest(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.ISO_8859_1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
