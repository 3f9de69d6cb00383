package rag.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import rag.storage.embed.InProcessModel;

/**
 * Chunk lengths in the embedding model's own WordPiece tokens. LangChain4j's ONNX encoder cuts a
 * text longer than 510 of them into parts, runs the model on each and averages the vectors, so such
 * a chunk costs two or more passes (and its vector is an average).
 */
final class ModelTokens {
  static final int WINDOW = 510;

  private final HuggingFaceTokenizer tokenizer;

  ModelTokens(InProcessModel model) {
    String resource = model == InProcessModel.BGE_SMALL_EN_V15_Q
        ? "bge-small-en-v1.5-q-tokenizer.json" : "all-minilm-l6-v2-q-tokenizer.json";
    try (InputStream in = InProcessModel.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the tokenizer " + resource + " is not on the class path");
      }
      tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false", "truncation", "false"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the tokenizer " + resource, e);
    }
  }

  /** Lengths of a group of chunks: how many, mean and 95th percentile tokens, share over the window. */
  record Lengths(String group, int chunks, double mean, int p95, double overWindow) {}

  Lengths lengths(String group, List<String> texts) {
    int[] counts = texts.stream().mapToInt(t -> tokenizer.encode(t, false, false).getTokens().length).sorted()
        .toArray();
    if (counts.length == 0) {
      return new Lengths(group, 0, 0, 0, 0);
    }
    long over = Arrays.stream(counts).filter(c -> c > WINDOW).count();
    return new Lengths(group, counts.length, Arrays.stream(counts).average().orElse(0),
        counts[Math.min(counts.length - 1, (int) Math.ceil(0.95 * counts.length) - 1)], over / (double) counts.length);
  }
}
