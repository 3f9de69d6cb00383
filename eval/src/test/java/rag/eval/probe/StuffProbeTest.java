package rag.eval.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import rag.eval.niah.NeedleSet;
import rag.eval.niah.NiahCell;
import rag.eval.niah.NiahGrid;
import rag.eval.niah.NiahResult;
import rag.eval.niah.NiahRun;
import rag.eval.niah.NiahSettings;

/** Stuff mode end to end: the default haystack stuffed through the real planner and prompt assembler. */
class StuffProbeTest {
  private static final Pattern MEASURED = Pattern.compile("needle at ([0-9.]+)% of the document text \\(placed at "
      + "([0-9.]+)%, asked ([0-9.]+)%\\)");

  @Test
  void aStuffedPromptHoldsTheNeedleAtItsDepthWithEverySeparatorIntact() {
    NiahSettings settings = new NiahSettings(new NiahGrid(List.of(2_000, 9_000), List.of(0.0, 50.0, 100.0)),
        NeedleSet.defaultSingle(), 0.5, "stuff", "scout");
    NiahResult result;
    try (StuffProbe probe = new StuffProbe(Parts.probeParts(), Parts.profile("scout", 1_000_000, 10_000))) {
      result = new NiahRun(Parts.mobyDick(), probe).run(settings, (done, total) -> { });
    }
    for (NiahCell cell : result.cells()) {
      assertThat(cell.found()).as(cell.toString()).isTrue();
      assertThat(cell.score()).isEqualTo(1.0);
      assertThat(cell.detail()).contains("separators intact");
      Matcher m = MEASURED.matcher(cell.detail());
      assertThat(m.find()).as(cell.detail()).isTrue();
      double measured = Double.parseDouble(m.group(1));
      double placed = Double.parseDouble(m.group(2));
      assertThat(Double.parseDouble(m.group(3))).isEqualTo(cell.depthPercent());
      assertThat(Math.abs(measured - placed)).isLessThan(StuffProbe.DEPTH_TOLERANCE_PERCENT);
      // placed is the asked depth moved back to a sentence end: never after it, at most a sentence before
      assertThat(placed).isLessThanOrEqualTo(cell.depthPercent()).isGreaterThan(cell.depthPercent() - 5);
    }
    assertThat(result.cells()).filteredOn(c -> c.depthPercent() == 0)
        .allSatisfy(c -> assertThat(c.detail()).contains("needle at 0.00% of the document text (placed at 0.00%"));
    assertThat(result.cells()).filteredOn(c -> c.depthPercent() == 100)
        .allSatisfy(c -> assertThat(c.detail()).contains("(placed at 100.00%"));
  }

  @Test
  void aHaystackOverThePromptWindowDoesNotFit() {
    NiahSettings settings = new NiahSettings(new NiahGrid(List.of(1_500, 9_000), List.of(50.0)),
        NeedleSet.defaultSingle(), 0.5, "stuff", "small");
    try (StuffProbe probe = new StuffProbe(Parts.probeParts(), Parts.profile("small", 5_000, 4_000))) {
      NiahResult result = new NiahRun(Parts.mobyDick(), probe).run(settings, (done, total) -> { });
      assertThat(result.cells().get(0).found()).as(result.cells().get(0).detail()).isTrue();
      NiahCell tooLong = result.cells().get(1);
      assertThat(tooLong.found()).isFalse();
      assertThat(tooLong.score()).isZero();
      assertThat(tooLong.detail()).startsWith("does not fit:").contains("4,000-token prompt window");
    }
  }

  @Test
  void multiKeyDistractorsAreLeftOutOfTheTargetsDepth() {
    NiahSettings settings = new NiahSettings(new NiahGrid(List.of(6_000), List.of(25.0, 75.0)),
        NeedleSet.multiKey(3, 7), 0.5, "stuff", "scout");
    try (StuffProbe probe = new StuffProbe(Parts.probeParts(), Parts.profile("scout", 1_000_000, 10_000))) {
      NiahResult result = new NiahRun(Parts.mobyDick(), probe).run(settings, (done, total) -> { });
      // three distractors go in before or after the target; the measured depth still matches the target's place
      assertThat(result.cells()).allSatisfy(c -> assertThat(c.found()).as(c.detail()).isTrue());
    }
  }
}
