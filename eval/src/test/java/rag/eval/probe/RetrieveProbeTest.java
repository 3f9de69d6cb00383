package rag.eval.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rag.eval.niah.NeedleSet;
import rag.eval.niah.NiahCell;
import rag.eval.niah.NiahGrid;
import rag.eval.niah.NiahResult;
import rag.eval.niah.NiahRun;
import rag.eval.niah.NiahSettings;

/** Retrieve mode end to end: the default haystack in a real Lucene archive with real MiniLM vectors. */
class RetrieveProbeTest {
  @Test
  void aSmallGridIsIndexedOncePerLengthAndEachNeedleRewritesOnlyItsDocument() throws Exception {
    NiahSettings settings = new NiahSettings(new NiahGrid(List.of(2_000, 8_000), List.of(0.0, 50.0, 100.0)),
        NeedleSet.defaultSingle(), 0.5, "retrieve", "qwen3");
    List<String> progress = new ArrayList<>();
    NiahResult result;
    Path scratchParent = Files.createTempDirectory("retrieve-probe-test");
    ProbeParts parts = new ProbeParts(Parts.embedder(), Parts.probeParts().chunker(), Parts.COUNTER, scratchParent);
    // a budget of 2,000 tokens packs about four chunks: the whole 2K haystack, a quarter of the 8K one
    try (RetrieveProbe probe = new RetrieveProbe(parts, Parts.profile("qwen3", 262_144, 2_000))) {
      try (var folders = Files.list(scratchParent)) {
        assertThat(folders.toList()).as("one scratch archive").hasSize(1);
      }
      NiahRun run = new NiahRun(Parts.mobyDick(), probe);
      result = run.run(settings, (done, total) -> progress.add(done + "/" + total));
      int needle = run.needleTokens(settings.needles());
      int small = Parts.mobyDick().build(2_000 - needle).segments().size();
      int large = Parts.mobyDick().build(8_000 - needle).segments().size();
      // the 8K haystack shares the 2K one's segments but its last (cut) one; each cell writes one document and back
      long writes = small + (large - (small - 1)) + 6 * 2;
      assertThat(large).isGreaterThan(small);
      assertThat(probe.documentWrites()).isEqualTo(writes);
      assertThat(probe.indexSummary()).startsWith(writes + " document writes").contains("all-minilm-l6-v2-q");
    }
    try (var folders = Files.list(scratchParent)) {
      assertThat(folders.toList()).as("scratch archive deleted").isEmpty();
    }
    Files.delete(scratchParent);
    assertThat(progress).containsExactly("1/6", "2/6", "3/6", "4/6", "5/6", "6/6");
    assertThat(result.cells()).extracting(NiahCell::contextLength).containsExactly(2_000, 2_000, 2_000, 8_000,
        8_000, 8_000);
    for (NiahCell cell : result.cells()) {
      // the needle's words (San Francisco, Dolores Park) are in no other chunk of Moby-Dick: BM25 ranks it first
      assertThat(cell.detail()).as(cell.toString()).contains("BM25 1,");
      assertThat(cell.rank()).isNotNull().isPositive();
      assertThat(cell.score()).isEqualTo(cell.found() ? 1.0 : 0.0);
      assertThat(cell.detail()).contains(cell.found() ? "packed in passage" : "not packed");
      if (cell.rank() == 1) {
        assertThat(cell.found()).as("the best chunk always fits the budget: %s", cell).isTrue();
      }
    }
    assertThat(result.cells().subList(0, 3)).allSatisfy(c -> assertThat(c.found()).isTrue());
    assertThat(result.summary().byLength().get(0).foundRate()).isEqualTo(1.0);
  }

  @Test
  void multipleNeedlesCountAsFoundWhenAllArePackedAndScoreTheFractionPacked() {
    NiahSettings settings = new NiahSettings(new NiahGrid(List.of(3_000), List.of(0.0, 40.0)),
        NeedleSet.defaultMulti(), 0.5, "retrieve", "qwen3");
    try (RetrieveProbe probe = new RetrieveProbe(Parts.probeParts(), Parts.profile("qwen3", 262_144, 100_000))) {
      NiahResult result = new NiahRun(Parts.mobyDick(), probe).run(settings, (done, total) -> { });
      // the whole haystack fits the budget: every needle is packed, each one's rank is known
      for (NiahCell cell : result.cells()) {
        assertThat(cell.found()).as(cell.toString()).isTrue();
        assertThat(cell.score()).isEqualTo(1.0);
        assertThat(cell.detail().split("packed in passage", -1)).hasSize(4);
        assertThat(cell.rank()).isNotNull();
      }
    }
  }
}
