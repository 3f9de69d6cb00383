package rag.eval.beir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BeirLoaderTest {
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

  /** Lines shaped like BEIR's SciFact, hand-written (SciFact's own licence keeps it out of the repository). */
  @Test
  void readsSciFactShapedLinesWithNestedMetadataAndTwoSplits() throws Exception {
    Path dir = Path.of(BeirLoaderTest.class.getResource("/beir/scifact-shaped/queries.jsonl").toURI()).getParent();
    BeirDataset test = BeirLoader.load(dir);
    assertThat(test.corpus()).extracting(BeirDocument::id).containsExactly("4983", "5836", "7912", "13734012");
    assertThat(test.corpus().get(2)).isEqualTo(new BeirDocument("7912",
        "Temperature dependence of enzyme kinetics \u2014 a review",
        "Most enzymes double their rate per 10\u00b0C rise until denaturation sets in above 45\u00b0C."));
    assertThat(test.corpus().get(3).titleAndText()).isEqualTo("A body of text without a title, as some abstracts have.");
    assertThat(test.queries()).extracting(BeirQuery::id).containsExactly("1", "3", "5");
    assertThat(test.queries().get(0)).isEqualTo(new BeirQuery("1",
        "Coral reef calcification declined over the last decade."));
    assertThat(test.qrels().pairs()).isEqualTo(4);
    assertThat(test.qrels().judgments("5")).isEqualTo(Map.of("7912", 1, "13734012", 1));

    BeirDataset train = BeirLoader.load(dir, "train");
    assertThat(train.split()).isEqualTo("train");
    assertThat(train.queries()).extracting(BeirQuery::id).containsExactly("8");
    assertThat(train.qrels().judgments("8")).isEqualTo(Map.of("13734012", 1));
    assertThat(train.qrels().judgments("1")).isEmpty();
  }
}
