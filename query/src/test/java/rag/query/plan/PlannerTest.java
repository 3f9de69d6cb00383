package rag.query.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static rag.query.QueryFixture.COLLECTION;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.query.QueryFixture;
import rag.query.assemble.PromptAssembler;
import rag.query.generate.PromptMessage;
import rag.query.profile.ModelProfile;
import rag.query.retrieve.HybridRetriever;
import rag.query.retrieve.Passage;
import rag.storage.Archive;
import rag.storage.embed.Embedder;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.model.Document;
import rag.storage.model.SearchFilter;

class PlannerTest {
  private static final Embedder EMBEDDER = QueryFixture.embedder();
  private static final SearchFilter SCOPE = SearchFilter.collection(COLLECTION);
  /** How far over the real count an estimate may be before its safety margin. */
  private static final double ESTIMATE_TOLERANCE = 0.05;

  @TempDir
  Path dir;
  Archive archive;
  List<Document> docs;
  Planner planner;

  @BeforeEach
  void setUp() {
    archive = QueryFixture.open(dir, EMBEDDER);
    docs = QueryFixture.library(archive, EMBEDDER);
    planner = QueryFixture.planner(archive, EMBEDDER, PlannerSettings.DEFAULT);
  }

  @AfterEach
  void tearDown() throws Exception {
    archive.close();
  }

  private Plan plan(Mode mode, ModelProfile profile) {
    return planner.plan(new PlanRequest("When was the lighthouse built?", SCOPE, mode, null), profile);
  }

  @Test
  void autoStuffsExactlyWhenTheEstimateFitsTheWindowMinusTheAnswerReserve() {
    long needed = plan(Mode.STUFF, QueryFixture.profile(100_000, 1000, 8000)).promptTokens();

    Plan fits = plan(Mode.AUTO, QueryFixture.profile(needed + 500, 500, 8000));
    assertThat(fits.mode()).isEqualTo(Mode.STUFF);
    assertEstimateCoversTheAssembledPrompt(fits, "When was the lighthouse built?");
    assertThat(fits.reason()).startsWith("the whole scope fits");
    assertThat(fits.promptTokens()).isEqualTo(needed);
    assertThat(fits.documents()).extracting(Document::sourcePath)
        .containsExactly("history/lighthouse.pdf", "src/Lamp.java", "talks/keeper.vtt");
    assertThat(fits.documentsLeftOut()).isEmpty();

    Plan oneShort = plan(Mode.AUTO, QueryFixture.profile(needed + 499, 500, 8000));
    assertThat(oneShort.mode()).isEqualTo(Mode.RETRIEVE);
    assertThat(oneShort.reason()).contains("over the " + String.format("%,d", needed - 1) + "-token prompt window");
  }

  /** With a prefill speed and a bound, auto retrieves when stuffing would take longer to prefill than the bound. */
  @Test
  void autoDoesNotStuffWhenTheEstimatedPrefillIsOverTheProfilesBound() {
    long needed = plan(Mode.STUFF, QueryFixture.profile(100_000, 1000, 8000)).promptTokens();
    double speed = needed / 2.0; // the whole scope takes 2 s to prefill
    ModelProfile slow = ModelProfile.builder("slow").contextWindow(100_000).answerReserve(1000).retrievalBudget(8000)
        .prefillTokensPerSecond(speed).maxPrefillSeconds(1.5).build();
    Plan retrieved = plan(Mode.AUTO, slow);
    assertThat(retrieved.mode()).isEqualTo(Mode.RETRIEVE);
    assertThat(retrieved.reason()).startsWith(String.format(Locale.ROOT, "stuffing would take about 2.0 s to prefill"
        + " (%,d prompt tokens at %,.0f tokens/s), over the profile's max-prefill-seconds of 1.5 s", needed, speed));

    Plan stuffed = plan(Mode.AUTO, ModelProfile.builder("fast").contextWindow(100_000).answerReserve(1000)
        .retrievalBudget(8000).prefillTokensPerSecond(speed).maxPrefillSeconds(2.5).build());
    assertThat(stuffed.mode()).isEqualTo(Mode.STUFF);
    assertThat(stuffed.estimatedPrefillSeconds()).isCloseTo(2.0, within(1e-9));
    assertThat(plan(Mode.STUFF, slow).mode()).as("a requested stuff is not bounded").isEqualTo(Mode.STUFF);
    assertThat(plan(Mode.AUTO, ModelProfile.builder("unknown-speed").contextWindow(100_000).answerReserve(1000)
        .retrievalBudget(8000).maxPrefillSeconds(0.001).build()).mode()).as("no speed, no estimate")
        .isEqualTo(Mode.STUFF);
  }

  /** A model that answers well only from shorter contexts is not stuffed past that, whatever its window. */
  @Test
  void autoStuffsOnlyWithinTheEffectiveContext() {
    long needed = plan(Mode.STUFF, QueryFixture.profile(100_000, 1000, 8000)).promptTokens();
    Plan retrieved = plan(Mode.AUTO, ModelProfile.builder("short-memory").contextWindow(100_000).answerReserve(1000)
        .retrievalBudget(8000).effectiveContext(needed - 1).build());
    assertThat(retrieved.mode()).isEqualTo(Mode.RETRIEVE);
    assertThat(retrieved.reason()).startsWith(String.format(Locale.ROOT, "the whole scope would need about %,d prompt"
        + " tokens, within the 99,000-token prompt window but over the model's effective context of %,d tokens"
        + " (set for profile short-memory)", needed, needed - 1));

    Plan stuffed = plan(Mode.AUTO, ModelProfile.builder("short-memory").contextWindow(100_000).answerReserve(1000)
        .retrievalBudget(8000).effectiveContext(needed).build());
    assertThat(stuffed.mode()).isEqualTo(Mode.STUFF);
    assertThat(stuffed.promptTokens()).isEqualTo(needed);
  }

  /** A measured effective context applies to a profile without one set by hand, and the reason names the run. */
  @Test
  void aMeasuredEffectiveContextAppliesUnlessOneIsSetByHand() {
    long needed = plan(Mode.STUFF, QueryFixture.profile(100_000, 1000, 8000)).promptTokens();
    Planner measured = Planner.builder(archive.reader(), QueryFixture.COUNTER)
        .retriever(new rag.query.retrieve.HybridRetriever(archive, EMBEDDER, 60, 0.9))
        .effectiveContexts(p -> p.name().equals("measured")
            ? java.util.Optional.of(new EffectiveContexts.Measured(needed - 1, "measured by NIAH run 20261204-000000-abcdef"))
            : java.util.Optional.empty()).build();
    PlanRequest request = new PlanRequest("When was the lighthouse built?", SCOPE, Mode.AUTO, null);
    Plan retrieved = measured.plan(request, ModelProfile.builder("measured").contextWindow(100_000).answerReserve(1000)
        .retrievalBudget(8000).build());
    assertThat(retrieved.mode()).isEqualTo(Mode.RETRIEVE);
    assertThat(retrieved.reason()).contains(String.format(Locale.ROOT, "over the model's effective context of %,d"
        + " tokens (measured by NIAH run 20261204-000000-abcdef)", needed - 1));
    Plan byHand = measured.plan(request, ModelProfile.builder("measured").contextWindow(100_000).answerReserve(1000)
        .retrievalBudget(8000).effectiveContext(needed).build());
    assertThat(byHand.mode()).as("the hand-set value wins").isEqualTo(Mode.STUFF);
    assertThat(measured.plan(request, QueryFixture.profile(100_000, 1000, 8000)).mode()).as("another profile")
        .isEqualTo(Mode.STUFF);
  }

  @Test
  void everyPlanStatesItsNumbers() {
    ModelProfile profile = new ModelProfile("scout", null, null, null, 50_000, 2_000, "cl100k_base", 5_000.0, null,
        8_000);
    Plan plan = plan(Mode.AUTO, profile);
    assertThat(plan.profile()).isEqualTo("scout");
    assertThat(plan.contextWindow()).isEqualTo(50_000);
    assertThat(plan.answerReserve()).isEqualTo(2_000);
    assertThat(plan.budget()).isEqualTo(48_000);
    assertThat(plan.corpusTokens()).isEqualTo(docs.stream().mapToLong(Document::tokenCount).sum());
    assertThat(plan.documentsInScope()).isEqualTo(3);
    assertThat(plan.tokenizer()).isEqualTo("cl100k_base");
    assertThat(plan.safetyMargin()).isEqualTo(0.10);
    assertThat(plan.estimatedPrefillSeconds()).isEqualTo(plan.promptTokens() / 5_000.0);
  }

  @Test
  void forcedStuffingLeavesOutTheDocumentsThatDoNotFitInOrder() {
    long needed = plan(Mode.STUFF, QueryFixture.profile(100_000, 1000, 8000)).promptTokens();
    Plan plan = plan(Mode.STUFF, QueryFixture.profile(needed - 40 + 300, 300, 8000));
    assertThat(plan.mode()).isEqualTo(Mode.STUFF);
    assertThat(plan.documentsLeftOut()).isNotEmpty();
    assertThat(plan.documents().size() + plan.documentsLeftOut().size()).isEqualTo(3);
    assertThat(plan.documents()).extracting(Document::sourcePath).isEqualTo(List.of("history/lighthouse.pdf",
        "src/Lamp.java", "talks/keeper.vtt").subList(0, plan.documents().size()));
    assertThat(plan.promptTokens()).isLessThanOrEqualTo(plan.budget());
    assertThat(plan.reason()).contains("left out");
  }

  @Test
  void retrievalPacksTheBestChunksWithinTheBudgetAndTopK() {
    Plan plan = planner.plan(new PlanRequest("foghorn keeper interview", SCOPE, Mode.RETRIEVE, 2),
        QueryFixture.profile(100_000, 1000, 8000));
    assertThat(plan.mode()).isEqualTo(Mode.RETRIEVE);
    assertThat(plan.passages().stream().mapToInt(p -> p.chunkIds().size()).sum()).isEqualTo(2);
    assertThat(plan.chunksLeftOut()).isEqualTo(2); // four chunks in all
    assertThat(plan.bestLeftOut()).hasSize(2);
    assertThat(plan.bestLeftOut().get(0).score()).isGreaterThanOrEqualTo(plan.bestLeftOut().get(1).score());
    assertThat(plan.promptTokens()).isLessThanOrEqualTo(plan.budget());
    assertEstimateCoversTheAssembledPrompt(plan, "foghorn keeper interview");
    assertThat(plan.budget()).isEqualTo(8000);
    assertThat(plan.documents()).extracting(Document::sourcePath).contains("talks/keeper.vtt");

    Plan tight = planner.plan(new PlanRequest("foghorn keeper interview", SCOPE, Mode.RETRIEVE, null),
        QueryFixture.profile(100_000, 1000, 250));
    assertThat(tight.promptTokens()).isLessThanOrEqualTo(250);
    assertThat(tight.chunksLeftOut()).isPositive();
  }

  @Test
  void passagesComeInDocumentOrderThenPositionWithNeighboursMerged() {
    Plan plan = planner.plan(new PlanRequest("lighthouse lens fog clockwork wicks foghorn lamp rotation", SCOPE,
        Mode.RETRIEVE, null), QueryFixture.profile(100_000, 1000, 8000));
    List<Passage> passages = plan.passages();
    assertThat(passages).extracting(Passage::documentId)
        .containsExactly(docs.get(0).id(), docs.get(2).id(), docs.get(1).id()); // by source path
    Passage pdf = passages.get(0);
    assertThat(pdf.chunkIds()).hasSize(2);
    assertThat(pdf.provenance().pageStart()).isEqualTo(1);
    assertThat(pdf.provenance().pageEnd()).isEqualTo(2);
    assertThat(pdf.text()).containsOnlyOnce("Its lens came from France.");
  }

  @Test
  void filtersNarrowTheScope() {
    Plan plan = planner.plan(new PlanRequest("anything", new SearchFilter(COLLECTION, null, Set.of("text/vtt"), null),
        Mode.AUTO, null), QueryFixture.profile(100_000, 1000, 8000));
    assertThat(plan.documents()).extracting(Document::sourcePath).containsExactly("talks/keeper.vtt");
    Plan byPath = planner.plan(new PlanRequest("lighthouse", new SearchFilter(COLLECTION, null, null, "src/"),
        Mode.RETRIEVE, null), QueryFixture.profile(100_000, 1000, 8000));
    assertThat(byPath.documentsInScope()).isEqualTo(1);
    assertThat(byPath.passages()).allMatch(p -> p.documentId().equals(docs.get(2).id()));
  }

  /** The real bge model, counting the questions it is asked to embed. */
  private static final class CountingQuestions implements Embedder {
    final OnnxEmbedder model =
        new OnnxEmbedder(InProcessModel.BGE_SMALL_EN_V15_Q, 2);
    int questions;

    @Override
    public List<float[]> embed(List<String> texts) {
      return model.embed(texts);
    }

    @Override
    public float[] embedQuery(String question) {
      questions++;
      return model.embedQuery(question);
    }

    @Override
    public int dimension() {
      return model.dimension();
    }

    @Override
    public String modelName() {
      return model.modelName();
    }
  }

  @Test
  void aCollectionWithVectorsOfAnotherModelIsRetrievedByBm25AloneAndThePlanSaysSo() throws Exception {
    Plan hybrid = plan(Mode.RETRIEVE, QueryFixture.profile(100_000, 1000, 8000));
    assertThat(hybrid.vectorSearchOff()).isNull();
    assertThat(hybrid.reason()).doesNotContain("BM25");

    archive.close();
    CountingQuestions bge = new CountingQuestions();
    try {
      archive = QueryFixture.open(dir, bge); // the same archive, now with another model of the same dimension
      Planner other = QueryFixture.planner(archive, bge, PlannerSettings.DEFAULT);
      Plan plan = other.plan(new PlanRequest("When was the lighthouse built?", SCOPE, Mode.RETRIEVE, null),
          QueryFixture.profile(100_000, 1000, 8000));

      assertThat(plan.vectorSearchOff()).isEqualTo("collection " + COLLECTION + " holds vectors of "
          + EMBEDDER.modelName() + " (384 dimensions), not of the configured embedding model bge-small-en-v1.5-q"
          + " (384 dimensions); it is searched with BM25 alone until it is re-indexed");
      assertThat(plan.reason()).endsWith("; BM25 only: " + plan.vectorSearchOff());
      assertThat(plan.passages()).isNotEmpty().allMatch(p -> p.documentId().equals(docs.get(0).id()));
      assertThat(bge.questions).as("no question embedded to compare with another model's vectors").isZero();
      var retriever = new HybridRetriever(archive, bge, 60, 0.9);
      assertThat(retriever.vector("lighthouse", SCOPE, 10)).isEmpty();
      assertThat(retriever.retrieve("lighthouse", SCOPE, 10)).extracting(f -> f.chunk().id())
          .containsExactlyElementsOf(retriever.lexical("lighthouse", SCOPE, 10).stream().map(c -> c.chunk().id())
              .toList());
      assertThat(other.plan(new PlanRequest("When was the lighthouse built?", SCOPE, Mode.STUFF, null),
          QueryFixture.profile(100_000, 1000, 8000)).vectorSearchOff()).isNull();
    } finally {
      bge.model.close();
    }
  }

  @Test
  void anEmptyScopeSaysSo() {
    Plan plan = planner.plan(new PlanRequest("anything", SearchFilter.collection("nothing-here"), Mode.AUTO, null),
        QueryFixture.profile(100_000, 1000, 8000));
    assertThat(plan.isEmpty()).isTrue();
    assertThat(plan.reason()).contains("no published documents");
  }

  /**
   * The plan's estimate against the prompt it describes, assembled and counted with the planner's counter: before the
   * safety margin the estimate is the real count or a little more (stored chunk counts and markers are counted
   * separately, not in the joined text); the margin then adds its fraction.
   */
  private void assertEstimateCoversTheAssembledPrompt(Plan plan, String question) {
    long real = realTokens(plan, question);
    double withMargin = 1 + plan.safetyMargin();
    assertThat(plan.promptTokens())
        .as("estimate of a %d-token prompt with the %.0f%% margin, at most %.0f%% over before the margin", real,
            plan.safetyMargin() * 100, ESTIMATE_TOLERANCE * 100)
        .isGreaterThanOrEqualTo((long) Math.ceil(real * withMargin))
        .isLessThanOrEqualTo((long) Math.ceil(real * (1 + ESTIMATE_TOLERANCE) * withMargin));
  }

  /** The real count of the prompt's messages, each counted whole. */
  private long realTokens(Plan plan, String question) {
    long total = 0;
    for (PromptMessage m : new PromptAssembler(archive.reader()).assemble(plan, question, null).messages()) {
      StringBuilder text = new StringBuilder();
      try {
        m.content().writeTo(text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      total += QueryFixture.COUNTER.count(text.toString());
    }
    return total;
  }

  /** With MMR the second packed chunk is not the PDF's other page, which repeats the first: another document's is. */
  @Test
  void mmrPacksDifferentPassagesAndThePlanSaysSo() {
    PlanRequest request = new PlanRequest("When was the lighthouse built, and where did its lens come from?", SCOPE,
        Mode.RETRIEVE, 2);
    ModelProfile profile = QueryFixture.profile(100_000, 1000, 8000);
    Plan ranked = planner.plan(request, profile);
    assertThat(ranked.passages()).extracting(Passage::documentId).containsOnly(docs.get(0).id());
    assertThat(ranked.reason()).doesNotContain("maximal-marginal-relevance");

    Plan diverse = QueryFixture.planner(archive, EMBEDDER, PlannerSettings.DEFAULT.withMmrLambda(0.3))
        .plan(request, profile);
    assertThat(diverse.passages()).extracting(Passage::documentId).hasSize(2).contains(docs.get(0).id())
        .doesNotHaveDuplicates();
    assertThat(diverse.reason()).contains("candidates packed in maximal-marginal-relevance order (lambda 0.30)");
  }
}
