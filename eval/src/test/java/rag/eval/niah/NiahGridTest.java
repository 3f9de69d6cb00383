package rag.eval.niah;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NiahGridTest {
  @Test
  void logSpacedLengthsCoverTheRangeByPowers() {
    assertThat(NiahGrid.logSpacedLengths(1_000, 10_000_000, 5)).containsExactly(1_000, 10_000, 100_000, 1_000_000,
        10_000_000);
    assertThat(NiahGrid.logSpacedLengths(1_000, 16_000, 5)).containsExactly(1_000, 2_000, 4_000, 8_000, 16_000);
    // 1000 * 10^(1/3) = 2154.43..., 1000 * 10^(2/3) = 4641.58...
    assertThat(NiahGrid.logSpacedLengths(1_000, 10_000, 4)).containsExactly(1_000, 2_154, 4_642, 10_000);
    assertThat(NiahGrid.logSpacedLengths(7, 7, 1)).containsExactly(7);
  }

  @Test
  void lengthsThatRoundAlikeAppearOnce() {
    assertThat(NiahGrid.logSpacedLengths(1, 3, 6)).containsExactly(1, 2, 3);
  }

  @Test
  void linearDepthsIncludeBothEnds() {
    assertThat(NiahGrid.linearDepths(5)).containsExactly(0.0, 25.0, 50.0, 75.0, 100.0);
    assertThat(NiahGrid.linearDepths(2)).containsExactly(0.0, 100.0);
    assertThat(NiahGrid.linearDepths(35)).hasSize(35).startsWith(0.0).endsWith(100.0);
  }

  @Test
  void badGridsAreRejectedWithTheValue() {
    assertThatThrownBy(() -> NiahGrid.logSpacedLengths(0, 10, 3)).hasMessageContaining("min 0");
    assertThatThrownBy(() -> NiahGrid.logSpacedLengths(10, 5, 3)).hasMessageContaining("max 5");
    assertThatThrownBy(() -> NiahGrid.linearDepths(1)).hasMessageContaining("illegal depth steps 1");
    assertThatThrownBy(() -> new NiahGrid(List.of(100), List.of(101.0))).hasMessageContaining("illegal depth 101.0%");
    assertThatThrownBy(() -> new NiahGrid(List.of(0), List.of(1.0))).hasMessageContaining("illegal context length 0");
    assertThat(new NiahGrid(List.of(1, 2, 3), List.of(0.0, 100.0)).size()).isEqualTo(6);
  }
}
