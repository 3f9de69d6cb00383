package rag.eval.qa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Provenance;

class QuestionSetsTest {
  private static Document doc(String path) {
    return new Document("d-" + path, "c", 1, path.substring(path.lastIndexOf('/') + 1), path, "application/pdf", null,
        1, null, "en", 3, 10, 2, null, null, null, null, null);
  }

  private static Chunk chunk(String text, Provenance p) {
    return new Chunk("c1", "d", 1, 0, text, 5, p, 0, 0);
  }

  @Test
  void readsQuestionsWithRangesTextsAndAnswers() {
    List<QaQuestion> set = QuestionSets.parse("""
        {"id": "q1", "question": "When was it built?", "expected": [{"source": "lighthouse.pdf", "pages": [2, 3]}], "answer": "1870"}

        {"id": "q2", "question": "Who spoke?", "expected": [{"source": "talks/keeper.vtt", "timeMs": [1000, 5000]}, {"source": "notes.txt", "text": "the keeper"}]}
        """);
    assertThat(set).extracting(QaQuestion::id).containsExactly("q1", "q2");
    assertThat(set.get(0).expected().get(0).pageFrom()).isEqualTo(2);
    assertThat(set.get(0).answer()).isEqualTo("1870");
    assertThat(set.get(1).expected()).hasSize(2);
    assertThat(set.get(1).expected().get(1).text()).isEqualTo("the keeper");
  }

  @Test
  void errorsNameTheLineAndTheField() {
    Map<String, String> bad = Map.of(
        "{\"id\": \"q1\", \"question\": \"?\", \"expected\": []}", "line 1: question q1 needs at least one \"expected\"",
        "{\"id\": \"q1\", \"question\": \"?\", \"expected\": [{\"pages\": [1, 2]}]}", "line 1: an expected passage needs a \"source\"",
        "{\"id\": \"q1\", \"question\": \"?\", \"expected\": [{\"source\": \"a\", \"pages\": [3, 1]}]}", "line 1: \"pages\" runs backwards: [3, 1]",
        "{\"id\": \"q1\", \"question\": \"?\", \"expected\": [{\"source\": \"a\", \"lines\": [3]}]}", "line 1: \"lines\" must be [from, to]",
        "{\"id\": \"q1\", \"question\": \"?\", \"expected\": [{\"source\": \"a\"}], \"hint\": 1}", "line 1: unknown field \"hint\"",
        "\n\n{not json", "line 3: not JSON",
        "", "the set holds no question");
    bad.forEach((text, message) -> assertThatThrownBy(() -> QuestionSets.parse(text)).as(text)
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message));
    String one = "{\"id\": \"q1\", \"question\": \"?\", \"expected\": [{\"source\": \"a\"}]}";
    assertThatThrownBy(() -> QuestionSets.parse(one + "\n" + one)).hasMessage("line 2: the id 'q1' is used twice");
  }

  @Test
  void aChunkIsAHitWhenItsDocumentMatchesAndItOverlapsTheRangeOrHoldsTheText() {
    ExpectedPassage pages = new ExpectedPassage("lighthouse.pdf", 2, 3, null, null, null, null, null);
    Document pdf = doc("history/lighthouse.pdf");
    assertThat(pages.grade(pdf, chunk("x", Provenance.pages(3, 4)))).isEqualTo(ExpectedPassage.Grade.PASSAGE);
    assertThat(pages.grade(pdf, chunk("x", Provenance.pages(4, 5)))).isEqualTo(ExpectedPassage.Grade.DOCUMENT);
    assertThat(pages.grade(doc("history/other.pdf"), chunk("x", Provenance.pages(2, 2))))
        .isEqualTo(ExpectedPassage.Grade.NONE);
    assertThat(pages.grade(doc("history/my-lighthouse.pdf"), chunk("x", Provenance.pages(2, 2))))
        .as("a suffix matches after a slash only").isEqualTo(ExpectedPassage.Grade.NONE);

    ExpectedPassage times = new ExpectedPassage("talks/keeper.vtt", null, null, 1_000L, 5_000L, null, null, null);
    assertThat(times.grade(doc("a/talks/keeper.vtt"), chunk("x", Provenance.times(4_000, 9_000, null))))
        .isEqualTo(ExpectedPassage.Grade.PASSAGE);
    assertThat(times.grade(doc("a/talks/keeper.vtt"), chunk("x", Provenance.times(5_001, 9_000, null))))
        .isEqualTo(ExpectedPassage.Grade.DOCUMENT);

    ExpectedPassage text = new ExpectedPassage("Lamp.java", null, null, null, null, null, null, "return   5;");
    assertThat(text.grade(doc("src/Lamp.java"), chunk("int f() {\n  return 5;\n}", Provenance.lines(1, 3, "f"))))
        .isEqualTo(ExpectedPassage.Grade.PASSAGE);
    ExpectedPassage lines = new ExpectedPassage("Lamp.java", null, null, null, null, 10, 12, null);
    assertThat(lines.grade(doc("src/Lamp.java"), chunk("x", Provenance.lines(12, 20, "g"))))
        .isEqualTo(ExpectedPassage.Grade.PASSAGE);

    ExpectedPassage whole = new ExpectedPassage("Lamp.java", null, null, null, null, null, null, null);
    assertThat(whole.grade(doc("src/Lamp.java"), chunk("x", Provenance.lines(1, 2, null))))
        .as("no range, no text: any chunk of the document").isEqualTo(ExpectedPassage.Grade.PASSAGE);
  }

  @Test
  void metricsOfAnOutcome() {
    QaRun.Outcome second = new QaRun.Outcome("bm25", 2, 1, List.of());
    assertThat(second.hitsAt(1)).isZero();
    assertThat(second.hitsAt(5)).isEqualTo(1);
    assertThat(second.reciprocalRank()).isEqualTo(0.5);
    assertThat(second.ndcgAt10()).isEqualTo(1 / (Math.log(3) / Math.log(2)));
    QaRun.Outcome documentOnly = new QaRun.Outcome("bm25", null, 1, List.of());
    assertThat(documentOnly.ndcgAt10()).isEqualTo(1 / 3.0);
    assertThat(documentOnly.reciprocalRank()).isZero();
    assertThat(new QaRun.Outcome("bm25", 11, 11, List.of()).ndcgAt10()).isZero();
  }

  @Test
  void aComparisonMarksPassagesLeavingTheTopFiveOrTheTopTenBelowIt() {
    assertThat(QaComparison.verdict(1, 6)).isEqualTo("regressed");
    assertThat(QaComparison.verdict(3, null)).isEqualTo("regressed");
    assertThat(QaComparison.verdict(null, 5)).isEqualTo("improved");
    assertThat(QaComparison.verdict(8, null)).as("left the top 10 from below the top 5").isEqualTo("regressed");
    assertThat(QaComparison.verdict(12, 9)).isEqualTo("improved");
    assertThat(QaComparison.verdict(2, 4)).isEqualTo("same");
    assertThat(QaComparison.verdict(7, 9)).isEqualTo("same");
    assertThat(QaComparison.verdict(null, null)).isEqualTo("same");
  }

  @Test
  void aSetWrittenAsJsonLinesReadsBackTheSameDraftedMarksIncluded() {
    List<QaQuestion> questions = List.of(
        new QaQuestion("a", "Who repaired the foghorn?", List.of(new ExpectedPassage("talk.vtt", null, null, 1000L,
            9000L, null, null, null)), "Margaret Olsen", true),
        new QaQuestion("b", "What does add throw?", List.of(new ExpectedPassage("Inventory.java", null, null, null,
            null, 11, 16, null), new ExpectedPassage("guide.pdf", 2, 3, null, null, null, null, "a phrase")), null));
    String lines = QuestionSets.toJsonLines(questions);
    assertThat(lines.split("\n")).hasSize(2);
    assertThat(lines).contains("\"drafted\":true").containsOnlyOnce("drafted");
    assertThat(QuestionSets.parse(lines)).isEqualTo(questions);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> QuestionSets.parse("{\"id\": \"x\", \"question\":"
        + " \"q\", \"expected\": [{\"source\": \"s\"}], \"drafted\": \"yes\"}"))
        .hasMessage("line 1: \"drafted\" must be true or false");
  }
}
