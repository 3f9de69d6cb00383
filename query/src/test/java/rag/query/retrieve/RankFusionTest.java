package rag.query.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import rag.storage.model.Chunk;
import rag.storage.model.ScoredChunk;

class RankFusionTest {
  private static ScoredChunk c(String doc, int ordinal) {
    return new ScoredChunk(new Chunk(null, doc, 1, ordinal, doc + ordinal, 3, null), 1f);
  }

  @Test
  void scoresAreTheSumOfReciprocalRanks() {
    ScoredChunk a = c("a", 0);
    ScoredChunk b = c("b", 0);
    ScoredChunk d = c("d", 0);
    List<FusedChunk> fused = new RankFusion(60).fuse(List.of(a, b), List.of(d, a));
    assertThat(fused).extracting(f -> f.chunk().documentId()).containsExactly("a", "d", "b");
    assertThat(fused.get(0).score()).isCloseTo(1.0 / 61 + 1.0 / 62, within(1e-12));
    assertThat(fused.get(0).lexicalRank()).isEqualTo(1);
    assertThat(fused.get(0).vectorRank()).isEqualTo(2);
    // d (vector rank 1) before b (lexical rank 2): 1/61 > 1/62
    assertThat(fused.get(1).score()).isCloseTo(1.0 / 61, within(1e-12));
    assertThat(fused.get(2).score()).isCloseTo(1.0 / 62, within(1e-12));
  }

  @Test
  void tiesKeepTheLexicalOrderAndAMissingRankingIsNotAnError() {
    ScoredChunk x = c("x", 0);
    ScoredChunk y = c("y", 0);
    List<FusedChunk> fused = new RankFusion(60).fuse(List.of(x), List.of(y));
    assertThat(fused).extracting(f -> f.chunk().documentId()).containsExactly("x", "y");
    assertThat(fused.get(0).score()).isEqualTo(fused.get(1).score());
    List<FusedChunk> lexicalOnly = new RankFusion(60).fuse(List.of(x, y), List.of());
    assertThat(lexicalOnly).extracting(FusedChunk::vectorRank).containsOnlyNulls();
  }

  @Test
  void weightsScaleEachRankingsShare() {
    ScoredChunk a = c("a", 0);
    ScoredChunk b = c("b", 0);
    ScoredChunk d = c("d", 0);
    // plain RRF puts b (lexical 1) before d (vector 2); a dense weight of 2 turns it round
    List<FusedChunk> plain = new RankFusion(60).fuse(List.of(b, a), List.of(a, d));
    assertThat(plain).extracting(f -> f.chunk().documentId()).containsExactly("a", "b", "d");
    List<FusedChunk> weighted = new RankFusion(60, 1, 2).fuse(List.of(b, a), List.of(a, d));
    assertThat(weighted).extracting(f -> f.chunk().documentId()).containsExactly("a", "d", "b");
    assertThat(weighted.get(0).score()).isCloseTo(1.0 / 62 + 2.0 / 61, within(1e-12));
    List<FusedChunk> denseOnly = new RankFusion(60, 0, 1).fuse(List.of(b), List.of(d));
    assertThat(denseOnly).extracting(f -> f.chunk().documentId()).containsExactly("d", "b");
    assertThat(denseOnly.get(1).score()).isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RankFusion(60, 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both 0");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RankFusion(60, -1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
