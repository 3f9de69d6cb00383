package rag.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import rag.query.admission.Bulkhead;
import rag.query.assemble.AssembledPrompt;
import rag.query.assemble.CitationIndex;
import rag.query.assemble.Cited;
import rag.query.assemble.PromptAssembler;
import rag.query.cite.CitationExtractor;
import rag.query.cite.ExtractiveAnswerer;
import rag.query.generate.Generation;
import rag.query.generate.ModelClient;
import rag.query.generate.ModelEndpoint;
import rag.query.generate.ModelException;
import rag.query.generate.TokenSink;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.query.plan.PlanRequest;
import rag.query.plan.Planner;
import rag.query.plan.Route;
import rag.query.profile.ModelProfile;
import rag.query.profile.ModelProfiles;
import rag.query.retrieve.FusedChunk;
import rag.query.retrieve.ChunkRetriever;
import rag.storage.catalog.CatalogReader;

/**
 * Question to answer: plan (stuff or retrieve), assemble the prompt, generate with the profile's
 * model (streamed to the sink) or, with no model configured, extract the best sentences; then map
 * the citations back to their sources.
 */
public final class QueryPipeline {
  private static final int EXTRACTIVE_PASSAGES = 10;

  private final CatalogReader catalog;
  private final ModelProfiles profiles;
  private final Planner planner;
  private final ChunkRetriever retriever;
  private final PromptAssembler assembler;
  private final ModelClient client;
  private final ExtractiveAnswerer extractive = new ExtractiveAnswerer(3);
  private final PrefillMeter prefill;
  private Bulkhead stuffedTokens = Bulkhead.unbounded("stuffed prompt tokens");

  public QueryPipeline(CatalogReader catalog, ModelProfiles profiles, Planner planner, ChunkRetriever retriever,
      ModelClient client) {
    this(catalog, profiles, planner, retriever, client, new PrefillMeter());
  }

  /** @param prefill measures the servers' prefill speeds from the answers (the planner should read it) */
  public QueryPipeline(CatalogReader catalog, ModelProfiles profiles, Planner planner, ChunkRetriever retriever,
      ModelClient client, PrefillMeter prefill) {
    this.prefill = prefill;
    this.catalog = catalog;
    this.profiles = profiles;
    this.planner = planner;
    this.retriever = retriever;
    this.assembler = new PromptAssembler(catalog);
    this.client = client;
  }

  /** Bounds the prompt tokens of stuffed plans in flight (assembly and generation); unbounded by default. */
  public QueryPipeline stuffedTokens(Bulkhead bound) {
    this.stuffedTokens = bound;
    return this;
  }

  /**
   * A place for the plan's prompt among the stuffed prompts in flight (none needed for a retrieved one): one 10M-token
   * prompt takes as much as hundreds of retrieved ones.
   *
   * @throws rag.query.admission.OverloadedException when stuffed prompts fill the bound and its queue
   */
  public Bulkhead.Permit admit(Plan plan) {
    return plan.mode() == Mode.STUFF ? stuffedTokens.acquire(plan.promptTokens()) : () -> { };
  }

  public ModelProfiles profiles() {
    return profiles;
  }

  /** @param conversation earlier turns as the prompt will show them, or null */
  public Plan plan(QueryRequest request, String conversation) {
    return checked(request, planner.plan(planRequest(request, conversation), profiles.get(request.profile())));
  }

  private static PlanRequest planRequest(QueryRequest request, String conversation) {
    return new PlanRequest(request.question(), request.scope(), request.mode(), request.topK(), conversation,
        request.stuffLimit(), request.retrievalBudget(), false);
  }

  private static Plan checked(QueryRequest request, Plan plan) {
    if (request.stuffLimit() != null && plan.mode() == Mode.STUFF && plan.promptTokens() > request.stuffLimit()) {
      throw new StuffLimitException(String.format(Locale.ROOT, "stuffing this scope takes %,d prompt tokens, over"
          + " this caller's limit of %,d; ask in mode auto or retrieve", plan.promptTokens(), request.stuffLimit()));
    }
    return plan;
  }

  public AssembledPrompt prompt(Plan plan, String question, String conversation) {
    return assembler.assemble(plan, question, conversation);
  }

  public Answer answer(QueryRequest request, AnswerSink sink) {
    return answer(request, null, sink);
  }

  /** @throws GenerationFailedException when the model server fails (it carries the plan) */
  public Answer answer(QueryRequest request, String conversation, AnswerSink sink) {
    ModelProfile profile = profiles.get(request.profile());
    Plan plan = plan(request, conversation);
    if (plan.isEmpty() || !profile.hasModel()) {
      ExtractiveAnswerer.Extract extract = plan.isEmpty()
          ? new ExtractiveAnswerer.Extract(ExtractiveAnswerer.NOTHING, List.of())
          : extractive.answer(request.question(), bestPassages(request, plan));
      sink.onToken(extract.answer());
      return new Answer(extract.answer(), Answer.Kind.EXTRACTIVE, plan, extract.citations(), null);
    }
    if (plan.route() != null) {
      return routed(request, conversation, profile, plan, sink);
    }
    try (Bulkhead.Permit permit = admit(plan)) {
      AssembledPrompt prompt = assembler.assemble(plan, request.question(), conversation);
      Generation generation = generate(profile, plan, prompt, sink);
      return new Answer(generation.text(), Answer.Kind.GENERATED, plan,
          CitationExtractor.extract(generation.text(), prompt.citations()), generation);
    }
  }

  private Generation generate(ModelProfile profile, Plan plan, AssembledPrompt prompt, TokenSink sink) {
    Generation generation;
    try {
      generation = client.generate(endpoint(profile), prompt.messages(), sink);
    } catch (ModelException e) {
      throw new GenerationFailedException(plan, e);
    }
    prefill.record(profile, plan.promptTokens(), generation);
    return generation;
  }

  /**
   * Self-Route: each step of the plan's route in turn until the model answers; a step whose reply is the unanswerable
   * marker moves on to the next (the sink hears of it), and its tokens are not streamed. When the last step too finds
   * no answer, the answer says so in words.
   */
  private Answer routed(QueryRequest request, String conversation, ModelProfile profile, Plan first,
      AnswerSink sink) {
    Route route = first.route();
    List<RoutedStep> taken = new ArrayList<>();
    Plan plan = first;
    for (int i = 0; ; i++) {
      MarkerHold hold = route.asksForMarker(i) ? new MarkerHold(sink) : null;
      AssembledPrompt prompt;
      Generation generation;
      try (Bulkhead.Permit permit = admit(plan)) {
        prompt = assembler.assemble(plan, request.question(), conversation);
        generation = generate(profile, plan, prompt, hold == null ? sink : hold);
      }
      boolean unanswered = hold != null && Route.unanswerable(generation.text());
      long cost = Answer.cost(plan, generation);
      if (unanswered && i + 1 < route.steps().size()) {
        Route.Step next = route.steps().get(i + 1);
        RoutedStep step = new RoutedStep(i + 1, plan.mode(), plan.budget(), plan.promptTokens(), cost, false,
            String.format(Locale.ROOT, "the model replied %s to %,d prompt tokens: next, %s", Route.UNANSWERABLE,
                plan.promptTokens(), next));
        taken.add(step);
        sink.onEscalation(step);
        plan = checked(request, planner.planStep(planRequest(request, conversation), route, i + 1,
            String.format(Locale.ROOT, "step %d of the route (after %s)", i + 2, step.note()), profile));
        continue;
      }
      if (hold != null) {
        hold.release();
      }
      String text = generation.text();
      if (unanswered) {
        text = String.format(Locale.ROOT, "The archive does not seem to hold the answer: the model found none in %s.",
            i == 0 ? "the retrieved excerpts" : "any of the " + (i + 1) + " prompts it was given");
        sink.onToken(text);
      }
      taken.add(new RoutedStep(i + 1, plan.mode(), plan.budget(), plan.promptTokens(), cost, !unanswered,
          unanswered ? "the model replied " + Route.UNANSWERABLE + " at the last step" : "answered"));
      return new Answer(text, Answer.Kind.GENERATED, plan,
          unanswered ? List.of() : CitationExtractor.extract(text, prompt.citations()), generation, taken);
    }
  }

  public static ModelEndpoint endpoint(ModelProfile profile) {
    return new ModelEndpoint(profile.baseUrl(), profile.model(), profile.apiKey(), profile.timeout(),
        profile.answerReserve(), null, profile.stallTimeout());
  }

  /** The plan's passages by score, or for a stuffed plan the best fused chunks, with the prompt's ids. */
  private List<Cited> bestPassages(QueryRequest request, Plan plan) {
    CitationIndex index = CitationIndex.of(catalog, plan);
    List<Cited> cited = new ArrayList<>();
    if (plan.mode() == Mode.RETRIEVE) {
      cited.addAll(index.passages());
      cited.sort(Comparator.comparingDouble(Cited::score).reversed());
    } else {
      for (FusedChunk f : retriever.retrieve(request.question(), request.scope(), EXTRACTIVE_PASSAGES)) {
        index.numberOf(f.chunk()).flatMap(index::resolve).ifPresent(cited::add);
      }
    }
    return cited.subList(0, Math.min(EXTRACTIVE_PASSAGES, cited.size()));
  }
}
