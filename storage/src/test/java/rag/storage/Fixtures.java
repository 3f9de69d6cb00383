package rag.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Provenance;

/** Small, deterministic documents and vectors for the storage tests. */
public final class Fixtures {
  private Fixtures() {}

  public static Document draft(String collection, String path, String mediaType) {
    return Document.draft(collection, path, mediaType, "sha-" + path, 100, "Title of " + path, "en", 1,
        Map.of("author", "tester"));
  }

  public static List<Chunk> chunks(String... texts) {
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      chunks.add(Chunk.draft(i, texts[i], texts[i].split("\\s+").length, Provenance.pages(i + 1, i + 1)));
    }
    return chunks;
  }

  /** A unit vector pointing mostly along {@code axis}, with a little seeded noise. */
  public static float[] vector(int dimension, int axis, long seed) {
    Random random = new Random(seed);
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) (random.nextGaussian() * 0.05);
    }
    v[axis % dimension] += 1f;
    return normalize(v);
  }

  public static float[] normalize(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
  }
}
