package rag.eval.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import rag.eval.niah.Haystack;
import rag.eval.niah.HaystackBuilder;
import rag.eval.niah.HaystackSources;
import rag.eval.niah.SourceText;
import rag.eval.probe.Parts;
import rag.eval.stack.TextIndexer.TextDocument;
import rag.ingest.chunk.Chunkers;
import rag.ingest.chunk.ChunkingConfig;

/** A haystack made of a collection's documents, read back from the catalog of a real archive. */
class CollectionHaystackTest {
  @Test
  void aCollectionsDocumentsBecomeHaystackSourcesInSourcePathOrder() {
    String sentence = "The harbour master counted %d ships entering the bay before noon. ";
    StringBuilder longText = new StringBuilder();
    for (int i = 0; i < 120; i++) {
      longText.append(String.format(sentence, i));
    }
    try (ScratchArchive scratch = ScratchArchive.open(null, 384, "none")) {
      TextIndexer indexer = new TextIndexer(scratch.archive(), Chunkers.byFormat(new ChunkingConfig(200, 40),
          Parts.COUNTER), null, "harbour");
      indexer.writeAll(List.of(new TextDocument("b/log.txt", "Log", longText.toString().strip()),
          new TextDocument("a/note.txt", "Note", "Fog closed the harbour on Monday.")));
      List<SourceText> sources = HaystackSources.fromCollection(scratch.archive().reader(), "harbour");
      assertThat(sources).extracting(SourceText::name).containsExactly("a/note.txt", "b/log.txt");
      assertThat(sources.get(0).text()).isEqualTo("Fog closed the harbour on Monday.");
      // several chunks with overlaps, joined back: every sentence once, in order
      String log = sources.get(1).text();
      for (int i = 0; i < 120; i++) {
        String s = String.format(sentence, i).strip();
        assertThat(log.indexOf(s)).as(s).isGreaterThanOrEqualTo(0).isEqualTo(log.lastIndexOf(s));
      }
      Haystack haystack = HaystackBuilder.ofCollection(scratch.archive().reader(), "harbour", Parts.COUNTER, 512)
          .build(3_000);
      assertThat(haystack.name()).isEqualTo("harbour");
      assertThat(haystack.text()).startsWith("Fog closed the harbour on Monday.");

      assertThatThrownBy(() -> HaystackSources.fromCollection(scratch.archive().reader(), "nothing"))
          .hasMessage("there is no collection 'nothing'");
    }
  }
}
