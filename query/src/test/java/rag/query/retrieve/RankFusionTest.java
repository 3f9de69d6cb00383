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
}
