package rag.query.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import rag.storage.model.Chunk;

class MmrTest {
  private static FusedChunk f(String id, String text, double score) {
    return new FusedChunk(new Chunk(id, "doc-" + id, 1, 0, text, 10, null), score, null, null);
  }

  private static final List<FusedChunk> RANKED = List.of(
      f("a", "the lighthouse lens came from France in 1870", 1.0),
      f("b", "the lighthouse lens came from France in the year 1870", 0.95),
      f("c", "keepers wound the clockwork every two hours", 0.9),
      f("d", "fog covers the headland each summer", 0.5));

  @Test
  void lambdaOneKeepsTheRankedOrder() {
    assertThat(new Mmr(1).reorder(RANKED, 4)).isEqualTo(RANKED);
    assertThat(new Mmr(1).active()).isFalse();
  }

  /** b repeats a almost word for word: with diversity weighed in, c (different and nearly as relevant) goes first. */
  @Test
  void aPassageThatRepeatsOneAlreadyTakenMovesDown() {
    List<FusedChunk> diverse = new Mmr(0.5).reorder(RANKED, 4);
    assertThat(diverse).extracting(x -> x.chunk().id()).containsExactly("a", "c", "d", "b");
    assertThat(new Mmr(0.9).reorder(RANKED, 4)).extracting(x -> x.chunk().id()).as("relevance first")
        .containsExactly("a", "c", "b", "d");
  }

  @Test
  void onlyTheFirstLimitAreReorderedAndLambdaIsChecked() {
    assertThat(new Mmr(0.5).reorder(RANKED, 2)).extracting(x -> x.chunk().id()).containsExactly("a", "c", "b", "d");
    assertThatThrownBy(() -> new Mmr(1.5)).hasMessage("illegal MMR lambda 1.5, must be in 0..1");
  }
}
