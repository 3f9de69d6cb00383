package rag.eval.beir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BeirLoaderTest {
  private static final Path SCIFACT = Path.of("/work/shared/corpora/scifact");

  @Test
  void readsASplitCorpusWithByteOrderMarksAndCrlfInNaturalPartOrder() {
    BeirDataset dataset = BeirLoader.load(BeirFixtures.tiny());
    assertThat(dataset.name()).isEqualTo("tiny");
    assertThat(dataset.split()).isEqualTo("test");
    assertThat(dataset.corpus()).extracting(BeirDocument::id).containsExactly("d1", "d2", "d3", "d4", "d5");
    assertThat(dataset.corpus().get(0)).isEqualTo(new BeirDocument("d1", "Whales", "Whales are large marine mammals."));
    assertThat(dataset.corpus().get(3).title()).isEmpty();
    assertThat(dataset.corpus().get(0).titleAndText()).isEqualTo("Whales\nWhales are large marine mammals.");
  }

  @Test
  void keepsOnlyQueriesWithJudgmentsAndReadsGrades() {
    BeirDataset dataset = BeirLoader.load(BeirFixtures.tiny());
    assertThat(dataset.queries()).extracting(BeirQuery::id).containsExactly("q1", "q2", "q3", "q5");
    assertThat(dataset.queries().get(0).text()).isEqualTo("marine mammals");
    assertThat(dataset.qrels().pairs()).isEqualTo(7);
    assertThat(dataset.qrels().judgments("q1")).isEqualTo(Map.of("d1", 2, "d3", 1));
    assertThat(dataset.qrels().judgments("q3")).containsEntry("d2", 0);
    assertThat(dataset.qrels().judgments("q4")).isEmpty();
  }

  @Test
  void partsAreOrderedNaturally() {
    assertThat(BeirLoader.corpusParts(BeirFixtures.tiny())).extracting(p -> p.getFileName().toString())
        .containsExactly("corpus.part1.jsonl", "corpus.part2.jsonl", "corpus.part10.jsonl");
  }

  @Test
  void badLinesAreReportedWithFileAndLine(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("qrels"));
    Files.writeString(dir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
    Files.writeString(dir.resolve("queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"x\"}\n");
    Files.writeString(dir.resolve("corpus.jsonl"), "{\"_id\": \"d1\", \"text\": \"a\"}\n{\"title\": \"no id\"}\n");
    assertThatThrownBy(() -> BeirLoader.load(dir)).isInstanceOf(BeirFormatException.class)
        .hasMessageContaining("corpus.jsonl line 2").hasMessageContaining("'_id'");

    Files.writeString(dir.resolve("corpus.jsonl"), "{\"_id\": \"d1\", \"text\": \"a\"}\n{\"_id\": \"d1\"}\n");
    assertThatThrownBy(() -> BeirLoader.load(dir)).hasMessageContaining("line 2")
        .hasMessageContaining("'d1' appears twice");

    Files.writeString(dir.resolve("corpus.jsonl"), "{\"_id\": \"d1\", \"text\": \"a\"}\n{broken\n");
    assertThatThrownBy(() -> BeirLoader.load(dir)).hasMessageContaining("line 2: not valid JSON");

    Files.writeString(dir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\tyes\n");
    assertThatThrownBy(() -> BeirLoader.load(dir)).hasMessageContaining("test.tsv line 2: score 'yes'");

    Files.writeString(dir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq9\td1\t1\n");
    assertThatThrownBy(() -> BeirLoader.load(dir)).hasMessageContaining("lacks queries").hasMessageContaining("q9");

    assertThatThrownBy(() -> BeirLoader.load(dir, "dev")).hasMessageContaining("BEIR file missing")
        .hasMessageContaining("dev.tsv");
  }

  @Test
  void readsTheRealSciFactWhenItIsThere() {
    assumeTrue(Files.isDirectory(SCIFACT), "SciFact not present at " + SCIFACT);
    BeirDataset dataset = BeirLoader.load(SCIFACT);
    assertThat(dataset.corpus()).hasSize(5183);
    assertThat(dataset.queries()).hasSize(300);
    assertThat(dataset.qrels().pairs()).isEqualTo(339);
    assertThat(dataset.corpus().get(0).id()).isEqualTo("4983");
    assertThat(dataset.corpus().get(0).title()).startsWith("Microstructural development of human newborn");
    assertThat(dataset.queries().get(0)).isEqualTo(new BeirQuery("1",
        "0-dimensional biomaterials show inductive properties."));
  }
}
