package rag.query.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import rag.storage.model.Chunk;
import rag.storage.model.ScoredChunk;

class ScoreFusionTest {
  private static ScoredChunk c(String doc, float score) {
    return new ScoredChunk(new Chunk(null, doc, 1, 0, doc, 3, null), score);
  }

  /** Each list min-max scaled: BM25 12 / 8 / 4 become 1 / 0.5 / 0; cosine 0.9 / 0.5 become 1 / 0. */
  @Test
  void scoresAreTheWeightedSumOfMinMaxScaledScores() {
    List<FusedChunk> fused = new ScoreFusion(Fusion.Weights.EQUAL).fuse(
        List.of(c("a", 12), c("b", 8), c("d", 4)), List.of(c("d", 0.9f), c("b", 0.5f)));
    assertThat(fused).extracting(f -> f.chunk().documentId()).containsExactly("a", "d", "b");
    assertThat(fused.get(0).score()).isCloseTo(1.0, within(1e-6));
    assertThat(fused.get(1).score()).isCloseTo(0 + 1.0, within(1e-6));
    assertThat(fused.get(2).score()).isCloseTo(0.5 + 0, within(1e-6));
    assertThat(fused.get(1).lexicalRank()).isEqualTo(3);
    assertThat(fused.get(1).vectorRank()).isEqualTo(1);
    // a (1.0) and d (1.0) tie: the lexical order stands

    List<FusedChunk> denseHeavy = new ScoreFusion(new Fusion.Weights(1, 2)).fuse(
        List.of(c("a", 12), c("b", 8), c("d", 4)), List.of(c("d", 0.9f), c("b", 0.5f)));
    assertThat(denseHeavy).extracting(f -> f.chunk().documentId()).containsExactly("d", "a", "b");
    assertThat(denseHeavy.get(0).score()).isCloseTo(2.0, within(1e-6));
  }

  /**
   * Unlike rank fusion, how far apart the scores are counts: b is close to the top of both lists by score (9 of 10,
   * 0.2 where the rest are 0.1), though second and second by rank, so it leads by score and trails by rank.
   */
  @Test
  void howFarApartTheScoresAreCounts() {
    List<ScoredChunk> lexical = List.of(c("a", 10f), c("b", 9f), c("c", 1f));
    List<ScoredChunk> vector = List.of(c("c", 0.9f), c("b", 0.2f), c("a", 0.1f));
    assertThat(new RankFusion(60).fuse(lexical, vector)).extracting(f -> f.chunk().documentId())
        .containsExactly("a", "c", "b");
    List<FusedChunk> byScore = new ScoreFusion(Fusion.Weights.EQUAL).fuse(lexical, vector);
    assertThat(byScore).extracting(f -> f.chunk().documentId()).containsExactly("b", "a", "c");
    assertThat(byScore.get(0).score()).isCloseTo(8 / 9.0 + 0.1 / 0.8, within(1e-6));
  }

  @Test
  void equalScoresScaleToOneAndAnEmptyListAddsNothing() {
    List<FusedChunk> fused = new ScoreFusion(Fusion.Weights.EQUAL).fuse(List.of(c("a", 3), c("b", 3)), List.of());
    assertThat(fused).extracting(FusedChunk::score).containsExactly(1.0, 1.0);
    assertThat(fused).extracting(FusedChunk::vectorRank).containsOnlyNulls();
    assertThat(Fusion.named(" Score ", 60, Fusion.Weights.EQUAL)).isInstanceOf(ScoreFusion.class);
    assertThat(Fusion.named("rrf", 60, Fusion.Weights.EQUAL)).isInstanceOf(RankFusion.class);
    assertThatThrownBy(() -> Fusion.named("borda", 60, Fusion.Weights.EQUAL))
        .hasMessage("illegal fusion 'borda', must be rrf or score");
    assertThatThrownBy(() -> new Fusion.Weights(0, 0)).hasMessageContaining("not both 0");
  }
}
