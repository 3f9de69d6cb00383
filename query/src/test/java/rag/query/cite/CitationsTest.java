package rag.query.cite;

import static org.assertj.core.api.Assertions.assertThat;
import static rag.query.QueryFixture.COLLECTION;

import java.nio.file.Path;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.query.QueryFixture;
import rag.query.assemble.CitationIndex;
import rag.query.assemble.Cited;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.query.plan.PlanRequest;
import rag.query.plan.PlannerSettings;
import rag.storage.Archive;
import rag.storage.model.Document;
import rag.storage.model.SearchFilter;

/** Citations from a model's answer and extractive answers, over a stuffed plan of the fixture library. */
class CitationsTest {
  @TempDir
  Path dir;
  Archive archive;
  List<Document> docs;
  CitationIndex index;

  @BeforeEach
  void setUp() {
    archive = QueryFixture.open(dir, QueryFixture.embedder());
    docs = QueryFixture.library(archive, QueryFixture.embedder());
    Plan plan = QueryFixture.planner(archive, QueryFixture.embedder(), PlannerSettings.DEFAULT).plan(
        new PlanRequest("lighthouse", SearchFilter.collection(COLLECTION), Mode.STUFF, null),
        QueryFixture.profile(100_000, 1000, 8000));
    index = CitationIndex.of(archive.reader(), plan); // C1, C2: pdf; C3: Lamp.java; C4: keeper.vtt
  }

  @AfterEach
  void tearDown() throws Exception {
    archive.close();
  }

  @Test
  void eachCitedIdBecomesACitationWithAVerbatimSnippetAndItsPlace() {
    String answer = "The light was built in 1870 [C1]. Keepers wound the clockwork every two hours [C2, C4].\n"
        + "The foghorn sounded every thirty seconds. [C4][C99]";
    List<Citation> citations = CitationExtractor.extract(answer, index);

    assertThat(citations).extracting(Citation::id).containsExactly("C1", "C2", "C4");
    Citation first = citations.get(0);
    assertThat(first.snippet()).isEqualTo("The lighthouse at Point Reyes was built in 1870.");
    assertThat(first.documentId()).isEqualTo(docs.get(0).id());
    assertThat(first.source()).isEqualTo("history/lighthouse.pdf");
    assertThat(first.page()).isEqualTo(1);
    assertThat(citations.get(1).snippet()).isEqualTo("Keepers wound the clockwork every two hours.");
    assertThat(citations.get(1).pageEnd()).isEqualTo(2);
    Citation transcript = citations.get(2);
    assertThat(transcript.snippet()).isEqualTo("BOB: The foghorn sounded every thirty seconds.");
    assertThat(transcript.startMs()).isEqualTo(1_000L);
    assertThat(transcript.endMs()).isEqualTo(9_500L);
    for (Citation c : citations) {
      Cited cited = index.resolve(Integer.parseInt(c.id().substring(1))).orElseThrow();
      assertThat(cited.text()).contains(c.snippet());
    }
  }

  @Test
  void aCitationWhosePassageSharesNothingWithTheStatementIsNotEmitted() {
    assertThat(CitationExtractor.extract("Lamps rotate every five seconds [C1].", index)).isEmpty();
    assertThat(CitationExtractor.extract("The lamp rotates in rotationSeconds [C3].", index))
        .extracting(Citation::lineStart, Citation::lineEnd).containsExactly(Tuple.tuple(1, 5));
    assertThat(CitationExtractor.extract("No citations here.", index)).isEmpty();
  }

  @Test
  void anExtractiveAnswerQuotesTheBestSentencesWithTheirIdsAndSaysItIsExtractive() {
    List<Cited> passages = List.of(index.resolve(2).orElseThrow(), index.resolve(4).orElseThrow(),
        index.resolve(1).orElseThrow());
    ExtractiveAnswerer.Extract extract = new ExtractiveAnswerer(2).answer("How often did the foghorn sound?",
        passages);
    assertThat(extract.answer()).startsWith(ExtractiveAnswerer.PREAMBLE);
    assertThat(extract.answer()).contains("- BOB: The foghorn sounded every thirty seconds. [C4]");
    assertThat(extract.citations()).extracting(Citation::id).first().isEqualTo("C4");
    assertThat(extract.citations()).hasSizeLessThanOrEqualTo(2);
    assertThat(extract.citations().get(0).score()).isEqualTo(1.0);

    ExtractiveAnswerer.Extract none = new ExtractiveAnswerer(2).answer("quantum chromodynamics", passages);
    assertThat(none.answer()).isEqualTo(ExtractiveAnswerer.NOTHING);
    assertThat(none.citations()).isEmpty();
  }
}
