package rag.storage.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real quantized models, loaded from their Maven jars. */
class OnnxEmbedderTest {
  static double cosine(float[] a, float[] b) {
    double dot = 0, na = 0, nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void similarTextsAreCloserThanUnrelatedOnes() {
    for (InProcessModel model : InProcessModel.values()) {
      try (OnnxEmbedder embedder = new OnnxEmbedder(model, 2)) {
        List<float[]> v = embedder.embed(List.of("The cat sat on the mat.", "A kitten was sitting on a rug.",
            "Quarterly revenue grew by twelve percent."));
        assertThat(v).hasSize(3).allMatch(x -> x.length == 384);
        assertThat(cosine(v.get(0), v.get(1))).as(model.id()).isGreaterThan(cosine(v.get(0), v.get(2)) + 0.1);
        assertThat(embedder.dimension()).isEqualTo(384);
      }
    }
  }

  @Test
  void parallelEmbeddingGivesTheSameVectorsAsOneByOne() {
    try (OnnxEmbedder embedder = new OnnxEmbedder(InProcessModel.ALL_MINILM_L6_V2_Q, 2)) {
      List<String> texts = List.of("alpha beta", "gamma delta", "epsilon zeta", "eta theta");
      List<float[]> batch = embedder.embed(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(cosine(batch.get(i), embedder.embed(List.of(texts.get(i))).get(0))).isGreaterThan(0.9999);
      }
    }
  }

  @Test
  void embeddingUnderAGateWaitsWhileItsConditionHoldsAndOnlyUpToItsLimit() {
    try (OnnxEmbedder embedder = new OnnxEmbedder(InProcessModel.ALL_MINILM_L6_V2_Q, 2)) {
      List<String> texts = List.of("alpha beta", "gamma delta", "epsilon zeta", "eta theta");
      embedder.embed(texts); // loaded
      long busyUntil = System.nanoTime() + 400_000_000L;
      long t0 = System.nanoTime();
      List<float[]> held = EmbeddingGate.giveWayWhile(() -> System.nanoTime() < busyUntil, Duration.ofSeconds(30),
          () -> embedder.embed(texts));
      long heldNanos = System.nanoTime() - t0;
      assertThat(held).hasSize(4);
      assertThat(heldNanos).as("waited while the other work ran").isGreaterThanOrEqualTo(400_000_000L);

      long t1 = System.nanoTime();
      EmbeddingGate.giveWayWhile(() -> true, Duration.ofMillis(200), () -> embedder.embed(texts));
      assertThat(System.nanoTime() - t1).as("each text waits at most the limit").isBetween(200_000_000L,
          20_000_000_000L);

      long t2 = System.nanoTime();
      embedder.embed(texts);
      EmbeddingGate.giveWayWhile(() -> true, Duration.ofSeconds(30), () -> embedder.embed(List.of("a question")));
      assertThat(System.nanoTime() - t2).as("outside a gate, and one text in the caller's thread: never held")
          .isLessThan(20_000_000_000L);
      assertThat(cosine(held.get(0), embedder.embed(List.of(texts.get(0))).get(0))).isGreaterThan(0.9999);
    }
  }

  @Test
  void tokenCounterCountsCl100kTokens() {
    TokenCounter counter = JTokkitTokenCounter.cl100k();
    assertThat(counter.count("hello world")).isEqualTo(2);
    assertThat(counter.count("")).isZero();
    assertThat(counter.name()).isEqualTo("cl100k_base");
  }
}
