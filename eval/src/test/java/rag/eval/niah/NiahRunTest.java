package rag.eval.niah;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static rag.eval.niah.CatHaystack.COUNTER;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import rag.eval.ProgressListener;

/**
 * Runs grids over the cat haystack with a probe that reads the first 400 tokens. A needle of 7 tokens plus its
 * separating space takes 8 tokens, so context lengths 358, 708 and 1408 build haystacks of 350, 700 and 1400 tokens.
 * A needle at depth d goes to token floor(T * d / 100), moved back to a multiple of 7 (a sentence end), and is read
 * when it ends by token 400, that is when it starts at token 393 or earlier.
 */
class NiahRunTest {
  private static final Needle PASS = Needle.of("The pass code is 7.");
  private static final List<Double> DEPTHS = NiahGrid.linearDepths(5);

  @Test
  void singleNeedleCellsAreFoundExactlyWhereTheArithmeticSays() {
    assertThat(COUNTER.count(PASS.text())).isEqualTo(7);
    FirstTokensProbe probe = new FirstTokensProbe(400, COUNTER);
    List<String> progress = new ArrayList<>();
    NiahSettings settings = new NiahSettings(new NiahGrid(List.of(358, 708, 1408), DEPTHS),
        NeedleSet.single(PASS, "What is the pass code?"), 0.5, "first-400-tokens", "none");
    NiahResult result = new NiahRun(CatHaystack.builder(), probe).run(settings, (d, t) -> progress.add(d + "/" + t));

    // T=350: needles at 0, 84 (87 back to 84), 175, 259 (262 back), 350 -> all inside the window
    // T=700: 0, 175, 350 inside; 525, 700 outside.  T=1400: 0, 350 inside; 700, 1050, 1400 outside.
    assertThat(result.cells()).extracting(NiahCell::found).containsExactly(
        true, true, true, true, true,
        true, true, true, false, false,
        true, true, false, false, false);
    assertThat(result.cells()).extracting(NiahCell::score).containsExactly(
        1.0, 1.0, 1.0, 1.0, 1.0,
        1.0, 1.0, 1.0, 0.0, 0.0,
        1.0, 1.0, 0.0, 0.0, 0.0);
    assertThat(result.cells()).extracting(NiahCell::rank).containsExactly(
        1, 1, 1, 1, 1,
        1, 1, 1, null, null,
        1, 1, null, null, null);
    assertThat(result.cells()).extracting(NiahCell::contextLength).startsWith(358, 358).endsWith(1408);
    assertThat(result.cells()).extracting(NiahCell::depthPercent).startsWith(0.0, 25.0, 50.0, 75.0, 100.0, 0.0);

    NiahSummary summary = result.summary();
    assertThat(summary.cells()).isEqualTo(15);
    assertThat(summary.foundRate()).isCloseTo(10.0 / 15, within(1e-12));
    assertThat(summary.meanScore()).isCloseTo(10.0 / 15, within(1e-12));
    assertThat(summary.byLength()).extracting(NiahSummary.LengthAverage::contextLength).containsExactly(358, 708, 1408);
    assertThat(summary.byLength()).extracting(NiahSummary.LengthAverage::foundRate).containsExactly(1.0, 0.6, 0.4);
    assertThat(summary.byDepth()).extracting(NiahSummary.DepthAverage::meanScore)
        .containsExactly(1.0, 1.0, 2.0 / 3, 1.0 / 3, 1.0 / 3);

    assertThat(probe.prepared).containsExactly(350, 700, 1400);
    assertThat(probe.changedSegmentCounts).hasSize(15).containsOnly(1);
    assertThat(progress).hasSize(15).startsWith("1/15").endsWith("15/15");
    assertThat(result.haystack()).isEqualTo("cats");
    assertThat(result.tokenizer()).isEqualTo("cl100k_base");
    assertThat(result.timings().totalMillis()).isGreaterThanOrEqualTo(result.timings().buildMillis());
  }

  @Test
  void multiNeedleCellsScoreTheShareOfTargetsFound() {
    Needle pass = new Needle("The pass code is 7.", "7");
    Needle door = new Needle("The door code is 9.", "9");
    assertThat(COUNTER.count(door.text())).isEqualTo(7);
    NiahSettings settings = new NiahSettings(new NiahGrid(List.of(716), List.of(0.0, 50.0, 100.0)),
        NeedleSet.multi(List.of(pass, door), "What are the codes?"));
    NiahResult result = new NiahRun(CatHaystack.builder(), new FirstTokensProbe(400, COUNTER))
        .run(settings, ProgressListener.NONE);
    // T=700. d=0: tokens 0 and 350 (+7 for the first needle: ends at 364) -> both read.
    // d=50: 350 read, 525 not -> half. d=100: both at the end -> neither.
    assertThat(result.cells()).extracting(NiahCell::score).containsExactly(1.0, 0.5, 0.0);
    assertThat(result.cells()).extracting(NiahCell::found).containsExactly(true, false, false);
    assertThat(result.cells()).extracting(NiahCell::rank).containsExactly(1, null, null);
  }

  @Test
  void multiKeyDistractorsDoNotCountAsTheAnswer() {
    NeedleSet set = NeedleSet.multiKey(3, 11);
    NiahRun run = new NiahRun(CatHaystack.builder(), new FirstTokensProbe(400, COUNTER));
    int needleTokens = run.needleTokens(set);
    NiahResult result = run.run(new NiahSettings(new NiahGrid(List.of(700 + needleTokens), List.of(0.0, 75.0)),
        set), ProgressListener.NONE);
    // d=0: target at 0, read. d=75: target at 525, not read, though distractors before it (0, 175, ...) are
    assertThat(result.cells()).extracting(NiahCell::found).containsExactly(true, false);
    assertThat(result.cells().get(1).score()).isZero();
  }

  @Test
  void aLengthWithNoRoomForTheHaystackIsRejected() {
    NiahSettings settings = new NiahSettings(new NiahGrid(List.of(8), List.of(0.0)), NeedleSet.single(PASS, "q"));
    assertThatThrownBy(() -> new NiahRun(CatHaystack.builder(), new FirstTokensProbe(1, COUNTER))
        .run(settings, ProgressListener.NONE)).hasMessageContaining("context length 8 leaves no room")
        .hasMessageContaining("take 8 tokens");
  }

  @Test
  void anInterruptedRunStopsBeforeTheNextCell() {
    NiahSettings settings = new NiahSettings(new NiahGrid(List.of(358), DEPTHS), NeedleSet.single(PASS, "q"));
    NiahRun run = new NiahRun(CatHaystack.builder(), new FirstTokensProbe(400, COUNTER));
    try {
      assertThatThrownBy(() -> run.run(settings, (done, total) -> {
        if (done == 2) {
          Thread.currentThread().interrupt();
        }
      })).isInstanceOf(CancellationException.class).hasMessageContaining("after 2 of 5 cells");
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void resultsRoundTripThroughJackson() throws Exception {
    NiahSettings settings = new NiahSettings(new NiahGrid(List.of(358, 708), DEPTHS), NeedleSet.multiKey(2, 3),
        0.75, "first-400", null);
    NiahResult result = new NiahRun(CatHaystack.builder(), new FirstTokensProbe(400, COUNTER))
        .run(settings, ProgressListener.NONE);
    ObjectMapper mapper = new ObjectMapper();
    String json = mapper.writeValueAsString(result);
    assertThat(mapper.readValue(json, NiahResult.class)).isEqualTo(result);
    assertThat(mapper.readTree(json).get("cells").get(0).fieldNames()).toIterable()
        .containsExactly("contextLength", "depthPercent", "found", "rank", "score", "detail");
  }

  @Test
  void aProbesOwnVerdictIsTakenAsIs() {
    NeedleProbe judging = (haystack, question) -> ProbeResult.judged(false, 0.25, 3, "measured " + question);
    NiahResult result = new NiahRun(CatHaystack.builder(), judging).run(new NiahSettings(
        new NiahGrid(List.of(358), List.of(50.0)), NeedleSet.single(PASS, "q")), ProgressListener.NONE);
    assertThat(result.cells()).containsExactly(new NiahCell(358, 50.0, false, 3, 0.25, "measured q"));
  }
}
