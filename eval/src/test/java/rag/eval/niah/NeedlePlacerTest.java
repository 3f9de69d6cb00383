package rag.eval.niah;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static rag.eval.niah.CatHaystack.COUNTER;
import static rag.eval.niah.CatHaystack.PARAGRAPH;

import java.util.List;
import org.junit.jupiter.api.Test;

class NeedlePlacerTest {
  private static final Needle NEEDLE = Needle.of("The pass code is 7.");
  private final NeedlePlacer placer = new NeedlePlacer(COUNTER);
  private final Haystack haystack = CatHaystack.builder().build(700);

  @Test
  void depthsBecomeTokenOffsetsMovedBackToTheSentenceEnd() {
    // 700 tokens, 70 per segment, 7 per sentence
    assertThat(placer.locate(haystack, 0)).isEqualTo(new NeedlePlacement(0, 0, 0, 0));
    assertThat(placer.locate(haystack, 50)).isEqualTo(new NeedlePlacement(50, 5, 0, 350));
    // 51% -> token 357 = segment 5, one sentence in: after "The cat sat on the mat." (23 chars)
    assertThat(placer.locate(haystack, 51)).isEqualTo(new NeedlePlacement(51, 5, 23, 357));
    // 50.5% -> token 353, mid-sentence: back to the start of segment 5
    assertThat(placer.locate(haystack, 50.5)).isEqualTo(new NeedlePlacement(50.5, 5, 0, 350));
    // 52.9% -> token 370 (370.3 floored), 20 tokens in: back to the end of the second sentence
    assertThat(placer.locate(haystack, 52.9)).isEqualTo(new NeedlePlacement(52.9, 5, 47, 364));
    int end = PARAGRAPH.length() + 2;
    assertThat(placer.locate(haystack, 100)).isEqualTo(new NeedlePlacement(100, 9, end, 700));
  }

  @Test
  void placingChangesOnlyTheSegmentThatTakesTheNeedle() {
    PlacedHaystack placed = placer.place(haystack, NeedleSet.single(NEEDLE, "What is the pass code?"), 51);
    String changed = "The cat sat on the mat. The pass code is 7." + PARAGRAPH.substring(23) + "\n\n";
    assertThat(placed.changedSegments()).containsOnlyKeys(5).containsEntry(5, changed);
    assertThat(placed.segmentText(4)).isSameAs(haystack.segment(4).text());
    String base = haystack.text();
    int at = 5 * (PARAGRAPH.length() + 2) + 23;
    assertThat(placed.text()).isEqualTo(base.substring(0, at) + " The pass code is 7." + base.substring(at));
    assertThat(COUNTER.count(placed.text())).isEqualTo(707);
    assertThat(placed.targets()).hasSize(1).first().satisfies(n -> assertThat(n.needle()).isEqualTo(NEEDLE));
  }

  @Test
  void theEndsOfTheHaystackTakeTheNeedleWithoutDoubleSpaces() {
    NeedleSet set = NeedleSet.single(NEEDLE, "q");
    assertThat(placer.place(haystack, set, 0).text()).startsWith("The pass code is 7. The cat sat");
    assertThat(placer.place(haystack, set, 100).text()).endsWith("on the mat.\n\nThe pass code is 7.");
    Haystack cut = CatHaystack.builder().build(703);
    assertThat(placer.place(cut, set, 100).text()).endsWith("on the mat.\n\nThe cat sat The pass code is 7.");
  }

  @Test
  void multipleNeedlesSpreadFromTheDepthAndKeepTheirOrderInOneSegment() {
    NeedleSet set = NeedleSet.multi(List.of(Needle.of("First needle."), Needle.of("Second needle.")), "q");
    assertThat(set.depths(40)).containsExactly(40.0, 70.0);
    PlacedHaystack placed = placer.place(haystack, set, 40);
    assertThat(placed.needles()).extracting(n -> n.placement().tokenOffset()).containsExactly(280, 490);
    assertThat(placed.changedSegments()).containsOnlyKeys(4, 7);

    PlacedHaystack bothAtEnd = placer.place(haystack, set, 100);
    assertThat(bothAtEnd.changedSegments()).containsOnlyKeys(9);
    assertThat(bothAtEnd.text()).endsWith("mat.\n\nFirst needle. Second needle.");
  }

  @Test
  void multiKeyDistractorsGoAroundTheHaystackFromTheTarget() {
    NeedleSet set = NeedleSet.multiKey(3, 42);
    assertThat(set.depths(0)).containsExactly(0.0, 25.0, 50.0, 75.0);
    assertThat(set.depths(50)).containsExactly(50.0, 75.0, 0.0, 25.0);
    PlacedHaystack placed = placer.place(haystack, set, 50);
    assertThat(placed.needles()).extracting(PlacedNeedle::target).containsExactly(true, false, false, false);
    assertThat(placed.needles()).extracting(n -> n.placement().tokenOffset()).containsExactly(350, 525, 0, 175);
    assertThat(placed.text()).startsWith(set.distractors().get(1).text() + " The cat");
  }

  @Test
  void aNeedleInRealProseLandsRightAfterASentenceEnd() {
    Haystack prose = HaystackBuilder.ofDefault(COUNTER).build(20_000);
    for (double depth : NiahGrid.linearDepths(11).subList(1, 10)) {
      NeedlePlacement placement = placer.locate(prose, depth);
      int target = (int) Math.floor(20_000 * depth / 100);
      assertThat(placement.tokenOffset()).isLessThanOrEqualTo(target)
          .isGreaterThan(target - HaystackBuilder.DEFAULT_SEGMENT_TOKENS);
      String text = prose.segment(placement.segmentIndex()).text();
      String before = text.substring(0, placement.charOffset()).stripTrailing();
      assertThat(placement.charOffset() == 0 || before.matches("(?s).*[.!?…][\"'”’)\\]»]*"))
          .as("text before %s%%: ...%s", depth, before.substring(Math.max(0, before.length() - 40))).isTrue();
    }
  }

  @Test
  void depthsOutsideZeroToHundredAreRejected() {
    assertThatThrownBy(() -> placer.locate(haystack, 100.5)).hasMessageContaining("illegal depth 100.5%");
    assertThatThrownBy(() -> placer.locate(haystack, Double.NaN)).hasMessageContaining("illegal depth NaN%");
  }
}
