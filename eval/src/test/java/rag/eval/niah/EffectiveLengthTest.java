package rag.eval.niah;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EffectiveLengthTest {
  /** A grid of two depths per length, with the given mean score at each length. */
  private static NiahSummary grid(int[] lengths, double[] scores) {
    List<NiahCell> cells = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      cells.add(new NiahCell(lengths[i], 10, scores[i] > 0.5, null, scores[i]));
      cells.add(new NiahCell(lengths[i], 90, scores[i] > 0.5, null, scores[i]));
    }
    return NiahSummary.of(cells);
  }

  @Test
  void theLongestLengthWithinEightyFivePercentOfTheShortestsScore() {
    EffectiveLength e = EffectiveLength.of(grid(new int[] {16_000, 2_000, 4_000, 8_000},
        new double[] {0.5, 1.0, 0.9, 0.85})).orElseThrow();
    assertThat(e.tokens()).isEqualTo(8_000);
    assertThat(e.atLeast()).isFalse();
    assertThat(e.baseLength()).isEqualTo(2_000);
    assertThat(e.threshold()).isEqualTo(0.85);
    assertThat(e.firstFailing()).isEqualTo(16_000);
  }

  @Test
  void aFailingLengthEndsItEvenWhenALongerOneRecovers() {
    EffectiveLength e = EffectiveLength.of(grid(new int[] {1_000, 2_000, 4_000}, new double[] {0.8, 0.5, 0.8}))
        .orElseThrow();
    assertThat(e.tokens()).isEqualTo(1_000);
    assertThat(e.firstFailing()).isEqualTo(2_000);
  }

  @Test
  void everyLengthPassingIsALowerBound() {
    EffectiveLength e = EffectiveLength.of(grid(new int[] {1_000, 2_000}, new double[] {0.6, 0.55})).orElseThrow();
    assertThat(e.tokens()).isEqualTo(2_000);
    assertThat(e.atLeast()).isTrue();
    assertThat(e.firstFailing()).isNull();
  }

  @Test
  void noMeasurementFromOneLengthOrFromAModelThatFoundNothing() {
    assertThat(EffectiveLength.of(grid(new int[] {1_000}, new double[] {1.0}))).isEmpty();
    assertThat(EffectiveLength.of(grid(new int[] {1_000, 2_000}, new double[] {0.0, 0.0}))).isEmpty();
  }
}
