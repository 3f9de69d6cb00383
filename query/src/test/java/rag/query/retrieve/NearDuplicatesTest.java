package rag.query.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import rag.storage.model.Chunk;

class NearDuplicatesTest {
  private static final String TEN_WORDS = "one two three four five six seven eight nine ten";

  private static FusedChunk f(String doc, int ordinal, String text) {
    return new FusedChunk(new Chunk(null, doc, 1, ordinal, text, 10, null), 1.0, 1, null);
  }

  @Test
  void theSamePassageInAnotherDocumentIsDroppedButNeighboursOfOneDocumentAreKept() {
    String text = "The keeper climbed the tower at dusk to light the lamp and wind the clockwork.";
    List<FusedChunk> kept = new NearDuplicates(0.9).filter(List.of(
        f("a", 0, text), f("b", 0, text + " "), f("a", 1, text), f("c", 0, "Fog covered the headland all summer long.")));
    assertThat(kept).extracting(k -> k.chunk().documentId() + k.chunk().ordinal()).containsExactly("a0", "a1", "c0");
  }

  // issue 4 (query benchmark): shingles became hashes; the similarity must stay the exact Jaccard of the word 3-shingles
  @Test
  void similarityIsTheJaccardOfWordThreeShinglesIgnoringCaseAndPunctuation() {
    long[] a = NearDuplicates.shingles(TEN_WORDS);
    long[] b = NearDuplicates.shingles("One, two; three four five six SEVEN eight nine eleven!");
    assertThat(a).hasSize(8);
    assertThat(NearDuplicates.jaccard(a, b)).isCloseTo(7.0 / 9, within(1e-12)); // 7 shared of 9 distinct
    assertThat(NearDuplicates.jaccard(a, NearDuplicates.shingles(TEN_WORDS + " " + TEN_WORDS)))
        .isCloseTo(8.0 / 10, within(1e-12)); // a repeated shingle counts once; the seam adds two
    assertThat(NearDuplicates.jaccard(NearDuplicates.shingles("two words"), NearDuplicates.shingles("Two  words.")))
        .isEqualTo(1.0);
    assertThat(NearDuplicates.jaccard(NearDuplicates.shingles("two words"), NearDuplicates.shingles("two")))
        .isEqualTo(0.0);
  }

  @Test
  void theThresholdDecidesAndPairsOfVeryDifferentSizesAreNotDuplicates() {
    String changed = TEN_WORDS.replace("ten", "eleven"); // Jaccard 7/9 = 0.78
    assertThat(new NearDuplicates(0.75).filter(List.of(f("a", 0, TEN_WORDS), f("b", 0, changed)))).hasSize(1);
    assertThat(new NearDuplicates(0.8).filter(List.of(f("a", 0, TEN_WORDS), f("b", 0, changed)))).hasSize(2);
    String longer = TEN_WORDS + " alpha beta gamma delta"; // 12 shingles, 8 shared: 8/12
    assertThat(new NearDuplicates(0.66).filter(List.of(f("a", 0, TEN_WORDS), f("b", 0, longer)))).hasSize(1);
    assertThat(new NearDuplicates(0.7).filter(List.of(f("a", 0, TEN_WORDS), f("b", 0, longer)))).hasSize(2);
  }
}
