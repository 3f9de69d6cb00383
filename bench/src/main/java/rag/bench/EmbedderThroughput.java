package rag.bench;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import rag.storage.embed.Embedder;

/** Embeds the same texts with one embedder in fixed batches, after a warm-up call, and times it. */
final class EmbedderThroughput {
  static final int BATCH = 256;

  /** One measurement: which embedder, how many texts, how long. */
  record Result(String embedder, int texts, double seconds, double cores) {
    double chunksPerSecond() {
      return texts / seconds;
    }
  }

  private EmbedderThroughput() {}

  static Result of(String name, Embedder embedder, List<String> texts) {
    return measure(name, embedder::embed, texts);
  }

  static Result of(String name, EmbeddingModel model, List<String> texts) {
    return measure(name, batch -> model.embedAll(batch.stream().map(TextSegment::from).toList()).content(), texts);
  }

  private static Result measure(String name, Function<List<String>, List<?>> embed, List<String> texts) {
    embed.apply(List.of("warm up: the model loads on first use", "and both threads start"));
    long start = System.nanoTime();
    long cpu = ProcessCpu.nanos();
    int embedded = 0;
    for (int i = 0; i < texts.size(); i += BATCH) {
      embedded += embed.apply(texts.subList(i, Math.min(texts.size(), i + BATCH))).size();
    }
    long wall = System.nanoTime() - start;
    double cores = ProcessCpu.cores(ProcessCpu.nanos() - cpu, wall);
    double seconds = wall / 1e9;
    if (embedded != texts.size()) {
      throw new IllegalStateException(name + " returned " + embedded + " vectors for " + texts.size() + " texts");
    }
    System.err.printf("%s: %d texts in %.1f s (%.1f chunks/s, %.2f cores)%n", name, texts.size(), seconds,
        texts.size() / seconds, cores);
    return new Result(name, texts.size(), seconds, cores);
  }

  /** Every k-th text, so that the sample has the same mix of formats and lengths as the whole. */
  static List<String> sample(List<String> texts, int size) {
    if (texts.size() <= size) {
      return texts;
    }
    List<String> out = new ArrayList<>(size);
    double step = texts.size() / (double) size;
    for (int i = 0; i < size; i++) {
      out.add(texts.get((int) (i * step)));
    }
    return out;
  }
}
