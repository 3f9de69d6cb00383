package rag.query;

import static org.assertj.core.api.Assertions.assertThat;
import static rag.query.QueryFixture.COLLECTION;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.query.generate.RoutingModelClient;
import rag.query.generate.ScriptedModelServer;
import rag.query.generate.ScriptedModelServer.Reply;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.query.plan.PlannerSettings;
import rag.query.plan.Route;
import rag.query.profile.ModelProfile;
import rag.query.profile.ModelProfiles;
import rag.query.retrieve.HybridRetriever;
import rag.storage.Archive;
import rag.storage.embed.Embedder;
import rag.storage.model.Provenance;
import rag.storage.model.SearchFilter;

/**
 * Self-routing against a scripted model server that answers only from what its prompt holds: retrieval first, a
 * doubled budget and then the whole scope each time the model replies UNANSWERABLE, every step recorded; and the
 * effective context keeping retrieval (and auto) below the length past which the model answers wrongly.
 */
class SelfRouteIT {
  private static final Embedder EMBEDDER = QueryFixture.embedder();
  private static final String CODE = "ZEBRA-7";
  /** Thirty harbour logs alike, and one about a quilt that holds the code. */
  private static final int LOGS = 30;

  @TempDir
  Path dir;
  Archive archive;
  ScriptedModelServer server;

  @BeforeEach
  void setUp() throws Exception {
    archive = QueryFixture.open(dir, EMBEDDER);
    for (int i = 1; i <= LOGS; i++) {
      String text = "Harbour log " + i + ". At dawn the harbour master recorded the tides: the water stood " + (i % 7)
          + " feet over the low mark, the wind came from the " + (i % 2 == 0 ? "west" : "north") + ", and "
          + (i % 5) + " fishing boats left the harbour before the bell. The log was signed and sealed by the master.";
      QueryFixture.write(archive, "logs/log-" + i + ".txt", "text/plain", "Harbour log " + i, null,
          List.of(QueryFixture.chunk(0, text, Provenance.lines(1, 3, null), 0)), EMBEDDER);
    }
    QueryFixture.write(archive, "attic/quilt.txt", "text/plain", "The attic quilt", null, List.of(QueryFixture.chunk(0,
        "The quilt in the attic has a patch embroidered with the ledger code " + CODE + " in red thread.",
        Provenance.lines(1, 1, null), 0)), EMBEDDER);
    server = ScriptedModelServer.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    archive.close();
  }

  private ModelProfile profile(long retrievalBudget, Long effectiveContext) {
    return ModelProfile.builder("routed").baseUrl(server.baseUrl()).model(ScriptedModelServer.MODEL)
        .contextWindow(100_000).answerReserve(1000).retrievalBudget(retrievalBudget)
        .effectiveContext(effectiveContext).timeout(Duration.ofSeconds(20)).build();
  }

  private QueryPipeline pipeline(ModelProfile profile, PlannerSettings settings) {
    HybridRetriever retriever = new HybridRetriever(archive, EMBEDDER, 60, 0.9);
    return new QueryPipeline(archive.reader(), new ModelProfiles(List.of(profile), profile.name()),
        rag.query.plan.Planner.builder(archive.reader(), QueryFixture.COUNTER).retriever(retriever)
            .settings(settings).build(),
        retriever, RoutingModelClient.withDefaults());
  }

  /** A model that answers only from the passage holding the code, with that passage's citation id. */
  private static Function<String, Reply> answersWithThePassage() {
    return prompt -> {
      int at = prompt.indexOf(CODE);
      if (at < 0) {
        return Reply.tokens(Route.UNANSWERABLE);
      }
      String marker = prompt.substring(prompt.lastIndexOf("[C", at), prompt.indexOf(']', prompt.lastIndexOf("[C", at)));
      String id = marker.split(" ")[0].substring(1);
      return Reply.tokens("The", " code", " is", " " + CODE, " [" + id + "].");
    };
  }

  @Test
  void escalatesUntilThePromptHoldsThePassageAndRecordsEveryStep() {
    server.replyByPrompt(answersWithThePassage());
    ModelProfile profile = profile(400, null);
    QueryPipeline pipeline = pipeline(profile, PlannerSettings.DEFAULT);
    List<String> streamed = new ArrayList<>();
    List<RoutedStep> escalations = new ArrayList<>();
    AnswerSink sink = new AnswerSink() {
      @Override
      public void onToken(String token) {
        streamed.add(token);
      }

      @Override
      public void onEscalation(RoutedStep step) {
        escalations.add(step);
      }
    };
    Answer answer = pipeline.answer(new QueryRequest("What did the harbour master record in the log at dawn?",
        SearchFilter.collection(COLLECTION), null, Mode.ROUTE, null), sink);

    Plan planned = pipeline.plan(new QueryRequest("What did the harbour master record in the log at dawn?",
        SearchFilter.collection(COLLECTION), null, Mode.ROUTE, null), null);
    List<Route.Step> ladder = planned.route().steps();
    assertThat(ladder.get(0)).isEqualTo(new Route.Step(Mode.RETRIEVE, 400));
    assertThat(ladder).extracting(Route.Step::mode).endsWith(Mode.STUFF);
    for (int i = 1; i < ladder.size() - 1; i++) {
      assertThat(ladder.get(i).tokens()).as("doubling: %s", ladder).isEqualTo(2 * ladder.get(i - 1).tokens());
    }
    assertThat(planned.reason()).startsWith("route was requested: retrieval first; if the model finds no answer"
        + " there: retrieve within 800 tokens, then");

    List<ScriptedModelServer.RecordedRequest> chats = server.requests("/v1/chat/completions");
    assertThat(answer.route()).hasSize(chats.size());
    assertThat(chats.size()).as("the code's passage ranks low: the first budget does not hold it")
        .isGreaterThan(1);
    for (int i = 0; i < chats.size(); i++) {
      String prompt = chats.get(i).body().path("messages").toString();
      RoutedStep step = answer.route().get(i);
      assertThat(step.step()).isEqualTo(i + 1);
      boolean last = i == chats.size() - 1;
      assertThat(prompt.contains(CODE)).as("step %d's prompt holds the code only when it is the last", i + 1)
          .isEqualTo(last);
      assertThat(step.answered()).isEqualTo(last);
      if (i > 0) {
        assertThat(step.promptTokens()).as("each step sends more").isGreaterThan(answer.route().get(i - 1)
            .promptTokens());
      }
      if (!last) {
        assertThat(prompt).contains("reply with the single word UNANSWERABLE");
        assertThat(step.note()).startsWith("the model replied UNANSWERABLE to");
      }
      if (step.mode() == Mode.RETRIEVE) {
        assertThat(step.promptTokens()).isLessThanOrEqualTo(step.budget());
      } else {
        assertThat(prompt).as("a final stuffed prompt is the plain one, for the server's prefix cache")
            .doesNotContain("UNANSWERABLE");
      }
    }
    assertThat(escalations).isEqualTo(answer.route().subList(0, answer.route().size() - 1));
    assertThat(String.join("", streamed)).as("nothing of the unanswered steps was streamed")
        .isEqualTo("The code is " + CODE + " [" + answer.citations().get(0).id() + "].");
    assertThat(answer.citations()).singleElement().satisfies(c -> assertThat(c.source()).isEqualTo("attic/quilt.txt"));
    assertThat(answer.plan().reason()).startsWith("step " + chats.size() + " of the route (after the model replied"
        + " UNANSWERABLE to");
    assertThat(answer.plan().route()).isEqualTo(planned.route());
    assertThat(answer.tokensSpent()).isEqualTo(answer.route().stream().mapToLong(RoutedStep::tokensSpent).sum());
    for (int i = 0; i < chats.size(); i++) {
      StringBuilder contents = new StringBuilder();
      chats.get(i).body().path("messages").forEach(m -> contents.append(m.path("content").asText()).append('\n'));
      assertThat(answer.route().get(i).tokensSpent()).as("the server's prompt count, and the answer's")
          .isGreaterThan(ScriptedModelServer.countWords(contents.toString()));
    }
  }

  @Test
  void aModelThatNeverFindsTheAnswerEndsTheRouteWithASentenceAndNoCitation() {
    server.replyByPrompt(prompt -> prompt.contains("reply with the single word UNANSWERABLE")
        ? Reply.tokens(" ", Route.UNANSWERABLE, ".") : Reply.tokens("The documents do not say."));
    ModelProfile narrow = ModelProfile.builder("narrow").baseUrl(server.baseUrl()).model(ScriptedModelServer.MODEL)
        .contextWindow(2_000).answerReserve(200).retrievalBudget(400).timeout(Duration.ofSeconds(20)).build();
    QueryRequest request = new QueryRequest("Where is the lighthouse?", SearchFilter.collection(COLLECTION), null,
        Mode.ROUTE, null);
    List<String> streamed = new ArrayList<>();
    QueryPipeline pipeline = pipeline(narrow, PlannerSettings.DEFAULT);
    Answer answer = pipeline.answer(request, streamed::add);
    assertThat(answer.route()).extracting(RoutedStep::budget).as("the scope does not fit: retrieval alone, up to the"
        + " prompt window").containsExactly(400L, 800L, 1_600L, 1_800L);
    assertThat(pipeline.plan(request, null).reason()).contains("; the whole scope does not fit the 1,800-token prompt window, so no"
        + " stuffing after");
    assertThat(answer.route()).extracting(RoutedStep::answered).containsOnly(false);
    assertThat(answer.text()).isEqualTo("The archive does not seem to hold the answer: the model found none in any of"
        + " the 4 prompts it was given.");
    assertThat(String.join("", streamed)).isEqualTo(answer.text());
    assertThat(answer.citations()).isEmpty();

    Answer stuffedLast = pipeline(profile(400, null), PlannerSettings.DEFAULT).answer(request, token -> { });
    assertThat(stuffedLast.route().get(stuffedLast.route().size() - 1)).satisfies(step -> {
      assertThat(step.mode()).isEqualTo(Mode.STUFF);
      assertThat(step.answered()).as("the last prompt asks for no marker: the model's words are the answer").isTrue();
    });
    assertThat(stuffedLast.text()).isEqualTo("The documents do not say.");
  }

  /**
   * A model that answers wrongly past 1,500 prompt tokens: auto without routing stuffs the whole scope and gets the
   * wrong answer; with the effective context set, auto routes, retrieval stays within it and the answer is right.
   */
  @Test
  void theEffectiveContextKeepsAutoBelowTheLengthWhereTheModelFails() {
    long failsPast = 1_500;
    Function<String, Reply> right = answersWithThePassage();
    server.replyByPrompt(prompt -> ScriptedModelServer.countWords(prompt) > failsPast
        ? Reply.tokens("The", " code", " is", " BLUE-3.") : right.apply(prompt));
    String question = "Which ledger code is embroidered on the attic quilt?";
    QueryRequest request = new QueryRequest(question, SearchFilter.collection(COLLECTION), null, Mode.AUTO, null);

    Answer unrouted = pipeline(profile(8000, null), PlannerSettings.DEFAULT.withSelfRoute(false))
        .answer(request, token -> { });
    assertThat(unrouted.plan().mode()).isEqualTo(Mode.STUFF);
    assertThat(ScriptedModelServer.countWords(server.lastChatRequest().body().path("messages").toString()))
        .isGreaterThan((int) failsPast);
    assertThat(unrouted.text()).contains("BLUE-3");

    QueryPipeline measured = pipeline(profile(8000, 1_200L), PlannerSettings.DEFAULT);
    Plan plan = measured.plan(request, null);
    assertThat(plan.route().steps()).as("retrieval no further than the effective context, then stuffing")
        .extracting(Route.Step::mode).containsExactly(Mode.RETRIEVE, Mode.STUFF);
    assertThat(plan.route().steps().get(0).tokens()).isEqualTo(1_200);
    assertThat(plan.reason()).contains("(retrieval up to the model's effective context of 1,200 tokens, set for profile routed)");
    Answer routed = measured.answer(request, token -> { });
    assertThat(routed.text()).contains(CODE);
    assertThat(routed.route()).singleElement().satisfies(step -> {
      assertThat(step.mode()).isEqualTo(Mode.RETRIEVE);
      assertThat(step.promptTokens()).isLessThanOrEqualTo(1_200);
    });
    assertThat(routed.tokensSpent()).isLessThan(unrouted.tokensSpent() / 2);
  }

  @Test
  void autoStuffsAScopeWithinTheRetrievalBudgetWithoutRetrievingFirst() {
    ModelProfile generous = profile(50_000, null);
    Plan plan = pipeline(generous, PlannerSettings.DEFAULT).plan(new QueryRequest("Which code?",
        SearchFilter.collection(COLLECTION), null, Mode.AUTO, null), null);
    assertThat(plan.mode()).isEqualTo(Mode.STUFF);
    assertThat(plan.route()).isNull();
    assertThat(plan.reason()).endsWith("; no retrieval first: the whole scope is within the 50,000-token retrieval"
        + " budget");
  }
}
