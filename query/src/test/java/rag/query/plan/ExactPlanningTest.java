package rag.query.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static rag.query.QueryFixture.COLLECTION;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.query.QueryFixture;
import rag.query.assemble.PromptAssembler;
import rag.query.assemble.RenderedChatMl;
import rag.query.profile.ModelProfile;
import rag.query.retrieve.InMemoryRetriever;
import rag.storage.Archive;
import rag.storage.model.Document;
import rag.storage.model.SearchFilter;

/**
 * A profile whose tokenizer the service ships plans with exact counts and no margin: every plan's prompt tokens are
 * checked against Qwen 3's tokenizer run over the prompt as the server's chat template renders it.
 */
class ExactPlanningTest {
  private static final String QUESTION = "When was the lighthouse built?";

  @TempDir
  Path dir;
  Archive archive;
  List<Document> docs;
  Planner planner;

  @BeforeEach
  void setUp() {
    archive = QueryFixture.open(dir, QueryFixture.embedder());
    docs = QueryFixture.library(archive, null); // retrieval here is in memory: no vectors needed
    ModelProfile any = qwen(100_000, 1000, 8000);
    planner = Planner.builder(archive.reader(), QueryFixture.COUNTER)
        .retriever(new InMemoryRetriever(archive.reader()))
        .exactCounts(ExactTokenCounts.of(List.of(any), archive.reader(), archive.tokenCounts())).build();
  }

  @AfterEach
  void tearDown() throws Exception {
    archive.close();
  }

  private static ModelProfile qwen(long window, int reserve, long retrievalBudget) {
    return ModelProfile.builder("qwen").tokenizer("qwen3").contextWindow(window).answerReserve(reserve)
        .retrievalBudget(retrievalBudget).build();
  }

  private Plan plan(Mode mode, ModelProfile profile, String conversation) {
    return planner.plan(new PlanRequest(QUESTION, SearchFilter.collection(COLLECTION), mode, null, conversation),
        profile);
  }

  @Test
  void autoStuffsExactlyUpToTheLastTokenOfThePromptWindow() throws IOException {
    Plan stuffed = plan(Mode.STUFF, qwen(100_000, 1000, 8000), null);
    long needed = rendered(stuffed, null);
    assertThat(stuffed.promptTokens()).isEqualTo(needed);
    assertThat(stuffed.tokenCounting()).isEqualTo(TokenCounting.EXACT);
    assertThat(stuffed.safetyMargin()).isZero();
    assertThat(stuffed.tokenizer()).isEqualTo("qwen3");

    Plan fits = plan(Mode.AUTO, qwen(needed + 500, 500, 8000), null);
    assertThat(fits.mode()).isEqualTo(Mode.STUFF);
    assertThat(fits.promptTokens()).isEqualTo(needed);
    assertThat(fits.reason()).startsWith("the whole scope fits: exactly " + String.format("%,d", needed));
    assertThat(fits.documents()).hasSize(3);

    Plan oneShort = plan(Mode.AUTO, qwen(needed + 499, 500, 8000), null);
    assertThat(oneShort.mode()).isEqualTo(Mode.RETRIEVE);
    assertThat(oneShort.reason()).contains("would need exactly " + String.format("%,d", needed));
  }

  @Test
  void autoRetrievesWhenTheExactPromptWouldPrefillLongerThanTheBound() {
    long needed = plan(Mode.STUFF, qwen(100_000, 1000, 8000), null).promptTokens();
    ModelProfile slow = ModelProfile.builder("qwen").tokenizer("qwen3").contextWindow(100_000).answerReserve(1000)
        .retrievalBudget(8000).prefillTokensPerSecond(needed / 4.0).maxPrefillSeconds(3.0).build();
    Plan retrieved = plan(Mode.AUTO, slow, null);
    assertThat(retrieved.mode()).isEqualTo(Mode.RETRIEVE);
    assertThat(retrieved.tokenCounting()).isEqualTo(TokenCounting.EXACT);
    assertThat(retrieved.reason()).startsWith("stuffing would take about 4.0 s to prefill ("
        + String.format("%,d", needed) + " prompt tokens");
    Plan stuffed = plan(Mode.AUTO, ModelProfile.builder("qwen").tokenizer("qwen3").contextWindow(100_000)
        .answerReserve(1000).retrievalBudget(8000).prefillTokensPerSecond(needed / 4.0).maxPrefillSeconds(4.5)
        .build(), null);
    assertThat(stuffed.mode()).isEqualTo(Mode.STUFF);
    assertThat(stuffed.promptTokens()).isEqualTo(needed);
  }

  @Test
  void autoStuffsExactlyOnlyWithinTheEffectiveContext() {
    long needed = plan(Mode.STUFF, qwen(100_000, 1000, 8000), null).promptTokens();
    Plan retrieved = plan(Mode.AUTO, ModelProfile.builder("qwen").tokenizer("qwen3").contextWindow(100_000)
        .answerReserve(1000).retrievalBudget(8000).effectiveContext(needed - 1).build(), null);
    assertThat(retrieved.mode()).isEqualTo(Mode.RETRIEVE);
    assertThat(retrieved.reason()).startsWith("the whole scope would need exactly " + String.format("%,d", needed));
    Plan stuffed = plan(Mode.AUTO, ModelProfile.builder("qwen").tokenizer("qwen3").contextWindow(100_000)
        .answerReserve(1000).retrievalBudget(8000).effectiveContext(needed).build(), null);
    assertThat(stuffed.mode()).isEqualTo(Mode.STUFF);
  }

  @Test
  void aConversationIsPartOfTheExactCount() throws IOException {
    String conversation = "\n# Conversation so far\nuser: Who kept the light?\nassistant: Alice [C3].\n";
    Plan plan = plan(Mode.STUFF, qwen(100_000, 1000, 8000), conversation);
    assertThat(plan.promptTokens()).isEqualTo(rendered(plan, conversation))
        .isGreaterThan(plan(Mode.STUFF, qwen(100_000, 1000, 8000), null).promptTokens());
  }

  @Test
  void stuffOverTheWindowKeepsTheLongestPrefixThatFitsExactly() throws IOException {
    long all = plan(Mode.STUFF, qwen(100_000, 1000, 8000), null).promptTokens();
    Plan cut = plan(Mode.STUFF, qwen(all + 1000 - 1, 1000, 8000), null);
    assertThat(cut.documents()).hasSize(2);
    assertThat(cut.documentsLeftOut()).hasSize(1);
    assertThat(cut.promptTokens()).isEqualTo(rendered(cut, null)).isLessThan(all);
    assertThat(cut.reason()).contains("2 of 3 documents fit");
  }

  @Test
  void retrievalPromptsAreCountedExactlyAndStayWithinTheBudget() throws IOException {
    Plan wide = plan(Mode.RETRIEVE, qwen(100_000, 1000, 8000), null);
    assertThat(wide.passages()).isNotEmpty();
    assertThat(wide.promptTokens()).isEqualTo(rendered(wide, null));
    assertThat(wide.tokenCounting()).isEqualTo(TokenCounting.EXACT);

    long tight = wide.promptTokens() - 1;
    Plan narrow = plan(Mode.RETRIEVE, qwen(100_000, 1000, tight), null);
    assertThat(narrow.promptTokens()).isEqualTo(rendered(narrow, null)).isLessThanOrEqualTo(tight);
    assertThat(narrow.passages().size()).isLessThan(wide.passages().size());
  }

  @Test
  void profilesWithoutAShippedTokenizerKeepEstimating() {
    Plan plan = plan(Mode.AUTO, QueryFixture.profile(100_000, 1000, 8000), null);
    assertThat(plan.tokenCounting()).isEqualTo(TokenCounting.ESTIMATED);
    assertThat(plan.tokenizer()).isEqualTo("cl100k_base");
    assertThat(plan.safetyMargin()).isEqualTo(PlannerSettings.DEFAULT.safetyMargin());
  }

  /** The plan's prompt rendered whole and counted by Qwen 3's tokenizer, independently of the planner. */
  private long rendered(Plan plan, String conversation) throws IOException {
    return RenderedChatMl.qwen3Tokens(new PromptAssembler(archive.reader()).assemble(plan, QUESTION, conversation));
  }
}
