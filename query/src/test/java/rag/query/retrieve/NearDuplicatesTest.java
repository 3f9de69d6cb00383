package rag.query.retrieve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import rag.storage.model.Chunk;

class NearDuplicatesTest {
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
}
