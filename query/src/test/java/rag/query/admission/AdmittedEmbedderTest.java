package rag.query.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import rag.storage.embed.Embedder;

class AdmittedEmbedderTest {
  private final AtomicInteger calls = new AtomicInteger();
  private final Embedder counting = new Embedder() {
    @Override
    public List<float[]> embed(List<String> texts) {
      calls.addAndGet(texts.size());
      return texts.stream().map(t -> new float[] {t.length(), 1}).toList();
    }

    @Override
    public int dimension() {
      return 2;
    }

    @Override
    public String modelName() {
      return "counting";
    }
  };

  @Test
  void aQuestionAskedAgainIsNotEmbeddedAgainNorQueued() {
    Bulkhead bound = new Bulkhead("question-embeddings", 1, 0, Duration.ZERO);
    AdmittedEmbedder embedder = new AdmittedEmbedder(counting, bound);
    float[] first = embedder.embedQuery("when was it built?");
    first[0] = -1; // a caller's change does not reach the cache
    try (Bulkhead.Permit busy = bound.acquire(1)) {
      assertThat(embedder.embedQuery("when was it built?")).containsExactly(18, 1);
      assertThatThrownBy(() -> embedder.embedQuery("another question")).isInstanceOf(OverloadedException.class);
    }
    assertThat(calls).hasValue(1);
  }

  @Test
  void theCacheKeepsTheMostRecentQuestions() {
    AdmittedEmbedder embedder = new AdmittedEmbedder(counting, Bulkhead.unbounded("q"));
    for (int i = 0; i <= AdmittedEmbedder.CACHED; i++) {
      embedder.embedQuery("question " + i);
    }
    embedder.embedQuery("question " + AdmittedEmbedder.CACHED); // kept
    embedder.embedQuery("question 0"); // evicted: embedded again
    assertThat(calls).hasValue(AdmittedEmbedder.CACHED + 2);
  }
}
