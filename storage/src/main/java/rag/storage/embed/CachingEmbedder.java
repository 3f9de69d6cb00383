package rag.storage.embed;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** An embedder that embeds only texts it has not embedded before with the same model (name and dimension). */
public final class CachingEmbedder implements Embedder {
  private final Embedder delegate;
  private final EmbeddingCache cache;

  public CachingEmbedder(Embedder delegate, EmbeddingCache cache) {
    this.delegate = delegate;
    this.cache = cache;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<String> keys = texts.stream().map(CachingEmbedder::key).toList();
    Map<String, float[]> vectors = new HashMap<>(cache.get(delegate.modelName(), new LinkedHashSet<>(keys)));
    // a served model's name may stay while its dimension changes: vectors of another size are not its vectors
    vectors.values().removeIf(v -> v.length != delegate.dimension());
    List<String> missingTexts = new ArrayList<>();
    List<String> missingKeys = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      if (!vectors.containsKey(keys.get(i)) && !missingKeys.contains(keys.get(i))) {
        missingTexts.add(texts.get(i));
        missingKeys.add(keys.get(i));
      }
    }
    if (!missingTexts.isEmpty()) {
      List<float[]> fresh = delegate.embed(missingTexts);
      Map<String, float[]> added = new HashMap<>();
      for (int i = 0; i < fresh.size(); i++) {
        added.put(missingKeys.get(i), fresh.get(i));
      }
      cache.put(delegate.modelName(), added);
      vectors.putAll(added);
    }
    return keys.stream().map(vectors::get).toList();
  }

  /** Questions are not cached: they rarely repeat and the cache is for the corpus. */
  @Override
  public float[] embedQuery(String question) {
    return delegate.embedQuery(question);
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  @Override
  public String modelName() {
    return delegate.modelName();
  }

  /** The cache key of a text: its SHA-256, in hex. */
  public static String key(String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
