package rag.storage.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChunkContextTest {
  private static Document doc(String path, String title) {
    return new Document("d", "c", 1, null, path, "text/plain", null, 0, title, null, null, 0, 0, null, null,
        Instant.EPOCH, Instant.EPOCH, Map.of());
  }

  private static Chunk chunk(String text, Provenance at) {
    return new Chunk(null, "d", 1, 0, text, 1, at);
  }

  @Test
  void theHeaderIsTheTitleOrElseTheFileNameThenTheSectionAndTheSpeaker() {
    assertThat(ChunkContext.header(doc("src/Inventory.java", null), chunk("void add() {}",
        Provenance.lines(11, 16, "Inventory.add")))).isEqualTo("Inventory.java › Inventory.add");
    assertThat(ChunkContext.header(doc("reports/q3.pdf", "  Quarterly\n report "), chunk("x", Provenance.pages(2, 2))))
        .isEqualTo("Quarterly report");
    assertThat(ChunkContext.header(doc("talks/keeper.vtt", "Interview"), chunk("x",
        Provenance.times(0, 1000, "Alice")))).isEqualTo("Interview › Alice");
    assertThat(ChunkContext.header(doc("guide.html", "Guide"), chunk("x",
        new Provenance(null, null, null, null, null, null, null, "Guide")))).as("no part twice").isEqualTo("Guide");
    assertThat(ChunkContext.header(doc("a.txt", ""), chunk("x", Provenance.NONE))).isEqualTo("a.txt");
  }

  @Test
  void theEmbeddedTextIsTheHeaderThenTheTextUnlessTheTextBeginsWithTheTitle() {
    Chunk code = chunk("void add() {}", Provenance.lines(11, 16, "Inventory.add"));
    assertThat(ChunkContext.forEmbedding(doc("src/Inventory.java", null), code))
        .isEqualTo("Inventory.java › Inventory.add\n\nvoid add() {}");
    Document abstractDoc = doc("4983", "Microstructural development of human brain");
    assertThat(ChunkContext.forEmbedding(abstractDoc, chunk("Microstructural development of human brain\nAlterations"
        + " of the architecture...", Provenance.NONE))).as("a BEIR text already begins with its title")
        .startsWith("Microstructural development of human brain\nAlterations");
    assertThat(ChunkContext.forEmbedding(abstractDoc, chunk("the second chunk", Provenance.NONE)))
        .isEqualTo("Microstructural development of human brain\n\nthe second chunk");
    assertThat(ChunkContext.forEmbedding(doc("talk.vtt", "Talk"), chunk("Talk about tides", Provenance.times(0, 1,
        "Bob")))).isEqualTo("Bob\n\nTalk about tides");
  }
}
