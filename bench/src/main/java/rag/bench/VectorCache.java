package rag.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import rag.storage.embed.Embedder;

/**
 * Real embeddings of the benchmark chunks, computed once and kept in a file named after a hash of
 * the texts and the model, so that later runs skip the (slow) embedding.
 */
final class VectorCache {
  private VectorCache() {}

  static List<float[]> vectors(Embedder embedder, List<String> texts, Path cacheDir) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(embedder.modelName().getBytes());
    texts.forEach(t -> sha.update(t.getBytes()));
    Path file = cacheDir.resolve("vectors-" + embedder.modelName() + "-" + texts.size() + "-"
        + HexFormat.of().formatHex(sha.digest()).substring(0, 12) + ".f32");
    int dim = embedder.dimension();
    if (Files.exists(file)) {
      List<float[]> out = new ArrayList<>(texts.size());
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
        for (int i = 0; i < texts.size(); i++) {
          float[] v = new float[dim];
          for (int j = 0; j < dim; j++) {
            v[j] = in.readFloat();
          }
          out.add(v);
        }
      }
      System.err.printf("loaded %d cached vectors from %s%n", out.size(), file);
      return out;
    }
    Files.createDirectories(cacheDir);
    List<float[]> out = new ArrayList<>(texts.size());
    long start = System.nanoTime();
    int batch = 256;
    for (int i = 0; i < texts.size(); i += batch) {
      out.addAll(embedder.embed(texts.subList(i, Math.min(texts.size(), i + batch))));
      if ((i / batch) % 20 == 0) {
        double s = (System.nanoTime() - start) / 1e9;
        System.err.printf("embedded %d/%d chunks (%.0f chunks/s)%n", out.size(), texts.size(), out.size() / s);
      }
    }
    Path tmp = Files.createTempFile(cacheDir, "vectors", ".tmp");
    try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
      for (float[] v : out) {
        for (float x : v) {
          o.writeFloat(x);
        }
      }
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    return out;
  }
}
