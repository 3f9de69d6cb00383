package rag.query.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import rag.query.assemble.PromptAssembler;
import rag.query.assemble.PromptLayout;
import rag.query.assemble.PromptTokens;
import rag.query.profile.ModelProfile;
import rag.query.rerank.Reranker;
import rag.query.retrieve.ChunkRetriever;
import rag.query.retrieve.FusedChunk;
import rag.query.retrieve.Mmr;
import rag.query.retrieve.Passage;
import rag.query.retrieve.Passages;
import rag.storage.catalog.CatalogReader;
import rag.storage.embed.TokenCounter;
import rag.storage.model.Chunk;
import rag.storage.model.Document;

/**
 * Decides between stuffing the whole scope and retrieving the best chunks, from token counts stored
 * at ingest (no document text is read to plan a stuffed prompt). Estimates add the separators and
 * the citation markers (counted exactly, see {@link MarkerTokens}) and then the safety margin; a plan
 * never exceeds its budget by its own estimate.
 */
public final class Planner {
  private final CatalogReader catalog;
  private final ChunkRetriever retriever;
  private final TokenCounter counter;
  private final PlannerSettings settings;
  private final TokenCalibration calibration;
  private final ServedWindows servedWindows;
  private final MarkerTokens markers;
  private final ExactTokenCounts exactCounts;
  private final EffectiveContexts effectiveContexts;
  private final PrefillSpeeds prefillSpeeds;
  private final PromptAssembler assembler;
  private final Reranker reranker;
  private static final int BEST_LEFT_OUT = 20;

  private Planner(Builder b) {
    this.catalog = b.catalog;
    this.counter = b.counter;
    this.retriever = b.retriever;
    this.settings = b.settings;
    this.calibration = b.calibration;
    this.servedWindows = b.servedWindows;
    this.exactCounts = b.exactCounts;
    this.effectiveContexts = b.effectiveContexts;
    this.prefillSpeeds = b.prefillSpeeds;
    this.reranker = b.reranker;
    this.assembler = new PromptAssembler(catalog);
    this.markers = new MarkerTokens(catalog, counter);
  }

  /** A planner over the catalog's documents whose stored counts were made by {@code counter}. */
  public static Builder builder(CatalogReader catalog, TokenCounter counter) {
    return new Builder(catalog, counter);
  }

  /** Named construction; what is not set keeps its default (no retriever: retrieve mode fails). */
  public static final class Builder {
    private final CatalogReader catalog;
    private final TokenCounter counter;
    private ChunkRetriever retriever;
    private PlannerSettings settings = PlannerSettings.DEFAULT;
    private TokenCalibration calibration = TokenCalibration.NONE;
    private ServedWindows servedWindows = ServedWindows.NONE;
    private ExactTokenCounts exactCounts = ExactTokenCounts.NONE;
    private EffectiveContexts effectiveContexts = EffectiveContexts.NONE;
    private PrefillSpeeds prefillSpeeds = PrefillSpeeds.NONE;
    private Reranker reranker = Reranker.none();

    private Builder(CatalogReader catalog, TokenCounter counter) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      this.counter = Objects.requireNonNull(counter, "counter");
    }

    public Builder retriever(ChunkRetriever retriever) {
      this.retriever = retriever;
      return this;
    }

    public Builder settings(PlannerSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** The server's measured tokens per stored token, where it has {@code /tokenize}. */
    public Builder calibration(TokenCalibration calibration) {
      this.calibration = Objects.requireNonNull(calibration, "calibration");
      return this;
    }

    /** What the servers serve: a smaller served window replaces the configured one. */
    public Builder servedWindows(ServedWindows servedWindows) {
      this.servedWindows = Objects.requireNonNull(servedWindows, "servedWindows");
      return this;
    }

    /** The exact counters of the profiles that have one: their plans count exactly, without margin. */
    public Builder exactCounts(ExactTokenCounts exactCounts) {
      this.exactCounts = Objects.requireNonNull(exactCounts, "exactCounts");
      return this;
    }

    /** Effective contexts measured by NIAH runs: a profile without one set by hand plans with its model's. */
    public Builder effectiveContexts(EffectiveContexts effectiveContexts) {
      this.effectiveContexts = Objects.requireNonNull(effectiveContexts, "effectiveContexts");
      return this;
    }

    /** Prefill speeds measured from answers: a profile without one set by hand estimates prefill with its model's. */
    public Builder prefillSpeeds(PrefillSpeeds prefillSpeeds) {
      this.prefillSpeeds = Objects.requireNonNull(prefillSpeeds, "prefillSpeeds");
      return this;
    }

    /** Reorders the fused candidates before packing, when it is {@link Reranker#forAnswers for answers}. */
    public Builder reranker(Reranker reranker) {
      this.reranker = Objects.requireNonNull(reranker, "reranker");
      return this;
    }

    public Planner build() {
      return new Planner(this);
    }
  }

  /**
   * Stored counts to the model's tokens: the server's measured ratio (with 2% to spare) when it
   * has {@code /tokenize}, otherwise the safety margin.
   */
  private record Scale(Double ratio, double factor, TokenCounting counting, String tokenizer, double margin) {
    static Scale exact(String tokenizer) {
      return new Scale(null, 1.0, TokenCounting.EXACT, tokenizer, 0);
    }

    long apply(long tokens) {
      return (long) Math.ceil(tokens * factor);
    }

    String describe() {
      return ratio == null ? String.format("the %.0f%% safety margin", (factor - 1) * 100)
          : String.format("the server's %.3f tokens per stored token, +2%%", ratio);
    }
  }

  public PlannerSettings settings() {
    return settings;
  }

  public Plan plan(PlanRequest request, ModelProfile profile) {
    ModelProfile configured = measured(profile);
    OptionalLong served = servedWindows.window(configured);
    if (served.isPresent() && served.getAsLong() < configured.contextWindow()
        && served.getAsLong() > configured.answerReserve()) {
      Plan plan = routeOrPlan(request, configured.withContextWindow(served.getAsLong()));
      return plan.withReason(String.format("%s; the server serves a %,d-token window, below the configured %,d",
          plan.reason(), served.getAsLong(), configured.contextWindow()));
    }
    return routeOrPlan(request, configured);
  }

  /** The profile with its model's measured effective context and prefill speed, where none is set by hand. */
  public ModelProfile measured(ModelProfile profile) {
    ModelProfile p = profile;
    if (p.effectiveContext() == null) {
      ModelProfile base = p;
      p = effectiveContexts.measured(base).map(m -> base.withMeasuredEffectiveContext(m.tokens(), m.source()))
          .orElse(base);
    }
    if (p.prefillTokensPerSecond() == null) {
      OptionalDouble speed = prefillSpeeds.measured(p);
      if (speed.isPresent()) {
        p = p.withMeasuredPrefill(speed.getAsDouble());
      }
    }
    return p;
  }

  /**
   * A routed plan for {@code route}, and for {@code auto} with a model server (unless routing is off or the whole
   * scope fits the retrieval budget); otherwise the plan of the requested mode.
   */
  private Plan routeOrPlan(PlanRequest request, ModelProfile profile) {
    boolean routes = request.mode() == Mode.ROUTE
        || request.mode() == Mode.AUTO && settings.selfRoute() && profile.hasModel();
    if (!routes) {
      return planFor(request, profile, null);
    }
    long cap = profile.effectiveContext() == null ? profile.promptWindow()
        : Math.min(profile.promptWindow(), profile.effectiveContext());
    long first = Math.min(Math.min(profile.retrievalBudget(), profile.promptWindow()), cap);
    String notStuffedAtOnce = "";
    if (request.mode() == Mode.AUTO) {
      Plan auto = planFor(request, profile, null);
      if (auto.isEmpty() || auto.mode() == Mode.STUFF && auto.promptTokens() <= first) {
        return auto.mode() != Mode.STUFF ? auto : auto.withReason(String.format(Locale.ROOT, "%s; no retrieval"
            + " first: the whole scope is within the %,d-token retrieval budget", auto.reason(), first));
      }
      if (auto.mode() == Mode.RETRIEVE) { // why auto would not stuff: the part of its reason before the packing
        notStuffedAtOnce = " (" + auto.reason().split("; ", 2)[0] + ")";
      }
    }
    Plan whole = planFor(request.step(Mode.STUFF, null, false), profile, null);
    if (whole.isEmpty()) {
      return whole; // nothing to retrieve or stuff: the plan says the scope is empty
    }
    String noStuffing = !whole.documentsLeftOut().isEmpty() ? String.format(Locale.ROOT, "the whole scope does not fit the"
            + " %,d-token prompt window, so no stuffing after", profile.promptWindow())
        : request.stuffLimit() != null && whole.promptTokens() > request.stuffLimit()
            ? String.format(Locale.ROOT, "stuffing the whole scope (%,d tokens) is over this caller's limit of %,d,"
                + " so no stuffing after", whole.promptTokens(), request.stuffLimit())
        : "";
    boolean stuffs = "".equals(noStuffing);
    List<Route.Step> steps = new ArrayList<>();
    for (long budget = first; ; budget = Math.min(2 * budget, cap)) {
      steps.add(new Route.Step(Mode.RETRIEVE, budget));
      long next = Math.min(2 * budget, cap);
      if (budget >= cap || stuffs && next >= whole.promptTokens()) {
        break; // at the effective context, or the next budget would hold the whole scope: stuffing it is as good
      }
    }
    if (stuffs) {
      steps.add(new Route.Step(Mode.STUFF, whole.promptTokens()));
    }
    Route route = new Route(steps);
    String why = String.format(Locale.ROOT, "%s: retrieval first; if the model finds no answer there: %s%s%s",
        request.mode() == Mode.ROUTE ? "route was requested" : "auto routes with a model server" + notStuffedAtOnce,
        steps.size() == 1 ? "nothing more" : steps.subList(1, steps.size()).stream().map(Route.Step::toString)
            .collect(java.util.stream.Collectors.joining(", then ")),
        cap < profile.promptWindow() ? String.format(Locale.ROOT, " (retrieval up to the model's effective context"
            + " of %,d tokens, %s)", cap, profile.describeEffectiveContext()) : "",
        stuffs ? "" : "; " + noStuffing);
    return planFor(request.step(Mode.RETRIEVE, first, route.asksForMarker(0)), profile, why).toBuilder().route(route)
        .build();
  }

  /**
   * The plan of a routed answer's step after the first: the step's mode and budget, its prompt asking for the marker
   * unless it is a final stuffing, and {@code why} as the reason it was planned.
   */
  public Plan planStep(PlanRequest request, Route route, int index, String why, ModelProfile profile) {
    ModelProfile configured = measured(profile);
    Route.Step step = route.steps().get(index);
    PlanRequest stepRequest = request.step(step.mode(), step.mode() == Mode.RETRIEVE ? step.tokens() : null,
        route.asksForMarker(index));
    OptionalLong served = servedWindows.window(configured);
    ModelProfile effective = served.isPresent() && served.getAsLong() < configured.contextWindow()
        && served.getAsLong() > configured.answerReserve() ? configured.withContextWindow(served.getAsLong())
        : configured;
    return planFor(stepRequest, effective, why).toBuilder().route(route).build();
  }

  /**
   * The plan of the requested mode; {@code why} is the reason of a requested retrieval or stuffing (null: that it was
   * requested).
   */
  private Plan planFor(PlanRequest request, ModelProfile profile, String why) {
    String retrieveWhy = why != null ? why : "retrieve was requested";
    String stuffWhy = why != null ? why : "stuff was requested";
    OptionalDouble ratio = calibration.ratio(profile);
    Scale scale = ratio.isPresent()
        ? new Scale(ratio.getAsDouble(), ratio.getAsDouble() * 1.02, TokenCounting.CALIBRATED, counter.name(), 0.02)
        : new Scale(null, 1 + settings.safetyMargin(), TokenCounting.ESTIMATED, counter.name(), settings.safetyMargin());
    List<Document> scope = ScopeDocuments.list(catalog, request.scope());
    long corpusTokens = scope.stream().mapToLong(Document::tokenCount).sum();
    long window = profile.promptWindow();
    long fixed = fixedTokens(request);
    if (scope.isEmpty()) {
      return new PlanBuilder(request, profile, scope, corpusTokens, window, scale).retrieve(List.of(), List.of(), List.of(), fixed,
          "the scope holds no published documents", null, null);
    }
    Optional<PromptTokens> exact = exactCounts.forProfile(profile);
    if (exact.isPresent()) {
      return planExactly(request, profile, scope, corpusTokens, exact.get(), retrieveWhy, stuffWhy);
    }
    Mode mode = request.mode();
    if (mode == Mode.AUTO) {
      if (scale.apply(corpusTokens) > window) {
        return retrieve(request, profile, scope, corpusTokens, scale, String.format(
            "the scope's %,d tokens (%,d with %s) exceed the %,d-token prompt window"
                + " (window %,d minus %,d for the answer)",
            corpusTokens, scale.apply(corpusTokens), scale.describe(), window, profile.contextWindow(),
            profile.answerReserve()));
      }
      long stuffed = scale.apply(fixed + documentsCost(scope));
      if (stuffed > window) {
        return retrieve(request, profile, scope, corpusTokens, scale, String.format(
            "the whole scope would need about %,d prompt tokens with separators and %s,"
                + " over the %,d-token prompt window", stuffed, scale.describe(), window));
      }
      Optional<String> notStuffed = whyNotStuff(request, profile, stuffed, "about");
      if (notStuffed.isPresent()) {
        return retrieve(request, profile, scope, corpusTokens, scale, notStuffed.get());
      }
      return stuff(request, profile, scope, corpusTokens, fixed, scale, String.format(
          "the whole scope fits: about %,d prompt tokens with separators and %s, within the"
              + " %,d-token prompt window (window %,d minus %,d for the answer)",
          stuffed, scale.describe(), window, profile.contextWindow(), profile.answerReserve()));
    }
    if (mode == Mode.STUFF) {
      return stuff(request, profile, scope, corpusTokens, fixed, scale, stuffWhy);
    }
    return retrieve(request, profile, scope, corpusTokens, scale, retrieveWhy);
  }

  /**
   * Why {@code auto} does not stuff a prompt of {@code tokens} that fits the window: the caller's own limit, the
   * model's effective context, then the profile's prefill bound; empty when none applies.
   */
  private static Optional<String> whyNotStuff(PlanRequest request, ModelProfile profile, long tokens,
      String precision) {
    if (request.stuffLimit() != null && tokens > request.stuffLimit()) {
      return Optional.of(String.format(Locale.ROOT, "the whole scope would need %s %,d prompt tokens, over this"
          + " caller's limit of %,d stuffed prompt tokens", precision, tokens, request.stuffLimit()));
    }
    Optional<String> beyond = beyondEffectiveContext(profile, tokens, precision);
    return beyond.isPresent() ? beyond : tooSlowToPrefill(profile, tokens);
  }

  /** Why {@code auto} does not stuff a prompt of {@code tokens} that fits the window: the model's effective context. */
  private static Optional<String> beyondEffectiveContext(ModelProfile profile, long tokens, String precision) {
    if (!profile.effectiveContextBinds() || tokens <= profile.effectiveContext()) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "the whole scope would need %s %,d prompt tokens, within the"
        + " %,d-token prompt window but over the model's effective context of %,d tokens (%s), past"
        + " which its answers degrade", precision, tokens, profile.promptWindow(), profile.effectiveContext(),
        profile.describeEffectiveContext()));
  }

  /** Why {@code auto} does not stuff a prompt of {@code tokens}: its estimated prefill is over the profile's bound. */
  private static Optional<String> tooSlowToPrefill(ModelProfile profile, long tokens) {
    OptionalDouble seconds = profile.prefillSeconds(tokens);
    if (profile.maxPrefillSeconds() == null || seconds.isEmpty()
        || seconds.getAsDouble() <= profile.maxPrefillSeconds()) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "stuffing would take about %.1f s to prefill (%,d prompt tokens at"
        + " %,.0f tokens/s), over the profile's max-prefill-seconds of %.1f s", seconds.getAsDouble(), tokens,
        profile.prefillTokensPerSecond(), profile.maxPrefillSeconds()));
  }

  private Plan stuff(PlanRequest request, ModelProfile profile, List<Document> scope, long corpusTokens, long fixed,
      Scale scale, String reason) {
    long window = profile.promptWindow();
    List<Document> included = new ArrayList<>();
    List<Document> leftOut = new ArrayList<>();
    long used = fixed;
    for (Document d : scope) {
      long cost = documentCost(included.size(), d);
      if (leftOut.isEmpty() && scale.apply(used + cost) <= window) {
        included.add(d);
        used += cost;
      } else {
        leftOut.add(d); // keep the order whole: a document after one that did not fit is left out too
      }
    }
    String why = leftOut.isEmpty() ? reason : String.format("%s; %d of %d documents fit the %,d-token prompt window,"
        + " %d left out", reason, included.size(), scope.size(), window, leftOut.size());
    return new PlanBuilder(request, profile, scope, corpusTokens, window, scale).stuff(included, leftOut, scale.apply(used), why);
  }

  private Plan retrieve(PlanRequest request, ModelProfile profile, List<Document> scope, long corpusTokens,
      Scale scale, String reason) {
    long budget = retrievalBudget(request, profile);
    int topK = topK(request, profile, budget);
    Candidates candidates = candidates(request, topK);
    Packed packed = pack(request, scope, scale, candidates, budget, topK);
    return new PlanBuilder(request, profile, scope, corpusTokens, budget, scale).retrieve(packed.included(),
        packed.passages(), packed.leftOut(), scale.apply(packed.tokens()),
        packed.why(reason, candidates, budget), candidates.vectorSearchOff(), candidates.rerank());
  }

  /** Fused candidates, best first; why vector search was off, how they were reranked, whether MMR ordered them. */
  private record Candidates(List<FusedChunk> chunks, String vectorSearchOff, String rerank, String diversity) {}

  /** The chunks packed into a retrieval prompt (in prompt order), their documents, what was left out, the estimate. */
  private record Packed(List<Document> included, List<Passage> passages, List<FusedChunk> chosen,
      List<FusedChunk> leftOut, long tokens, int topK) {
    String why(String reason, Candidates candidates, long budget) {
      return String.format("%s; %d of %d candidate chunks packed within the %,d-token retrieval budget"
          + " (top %d at most)%s%s%s", reason, chosen.size(), candidates.chunks().size(), budget, topK,
          candidates.vectorSearchOff() == null ? "" : "; BM25 only: " + candidates.vectorSearchOff(),
          candidates.rerank() == null ? "" : "; " + candidates.rerank(),
          candidates.diversity() == null ? "" : "; " + candidates.diversity());
    }
  }

  /** The request's retrieval budget (a routed step's) or the profile's, within the prompt window. */
  private static long retrievalBudget(PlanRequest request, ModelProfile profile) {
    long budget = request.retrievalBudget() != null ? request.retrievalBudget() : profile.retrievalBudget();
    return Math.min(budget, profile.promptWindow());
  }

  /**
   * The most chunks packed: the request's, or the default, grown in proportion when a routed step has a larger budget
   * than the profile's (so that doubling the budget can double what is packed).
   */
  private int topK(PlanRequest request, ModelProfile profile, long budget) {
    if (request.topK() != null) {
      return request.topK();
    }
    long base = Math.min(profile.retrievalBudget(), profile.promptWindow());
    return (int) Math.min(1000, Math.max(settings.defaultTopK(),
        (long) Math.ceil((double) settings.defaultTopK() * budget / base)));
  }

  private Candidates candidates(PlanRequest request, int topK) {
    List<FusedChunk> chunks = retriever.retrieve(request.question(), request.scope(),
        Math.max(settings.candidates(), topK));
    String rerank = null;
    if (reranker.forAnswers()) {
      Reranker.Reranked reranked = reranker.rerank(request.question(), chunks);
      chunks = reranked.chunks();
      rerank = reranked.note();
    }
    Mmr mmr = new Mmr(settings.mmrLambda());
    String diversity = null;
    if (mmr.active() && chunks.size() > 2) {
      chunks = mmr.reorder(chunks, Math.min(chunks.size(), 2 * topK));
      diversity = String.format(Locale.ROOT, "candidates packed in maximal-marginal-relevance order (lambda %.2f)",
          mmr.lambda());
    }
    return new Candidates(chunks, retriever.vectorSearchOff(request.scope()).orElse(null), rerank, diversity);
  }

  /** Packs the best candidates, by their stored counts scaled, until {@code budget} or topK is reached. */
  private Packed pack(PlanRequest request, List<Document> scope, Scale scale, Candidates candidates, long budget,
      int topK) {
    Map<String, Document> byId = new HashMap<>();
    scope.forEach(d -> byId.put(d.id(), d));
    long used = fixedTokens(request);
    Set<String> documentsUsed = new LinkedHashSet<>();
    List<FusedChunk> chosen = new ArrayList<>();
    List<FusedChunk> leftOut = new ArrayList<>();
    for (FusedChunk f : candidates.chunks()) {
      Chunk c = f.chunk();
      Document d = byId.get(c.documentId());
      if (d == null) {
        continue; // published after the scope was listed
      }
      // the text alone decides most candidates: only those that may fit cost a marker count
      boolean fits = chosen.size() < topK && scale.apply(used + c.tokenCount()) <= budget;
      long cost = !fits ? 0 : c.tokenCount() + markers.of(c.provenance())
          + (documentsUsed.contains(d.id()) ? 0 : separatorsCost(documentsUsed.size(), d));
      if (fits && scale.apply(used + cost) <= budget) {
        chosen.add(f);
        documentsUsed.add(d.id());
        used += cost;
      } else {
        leftOut.add(f);
      }
    }
    List<String> order = scope.stream().map(Document::id).filter(documentsUsed::contains).toList();
    return new Packed(order.stream().map(byId::get).toList(), Passages.inDocumentOrder(chosen, order), chosen,
        leftOut, used, topK);
  }

  /**
   * A plan counted with the model's own tokenizer and no margin. Stuffing sums the stored counts of the scope's
   * versions (a scope whose stored counts are over twice the window is not counted: it cannot fit). Retrieval packs
   * by the stored counts, then counts the prompt it would send, and packs again below the budget by what it was over.
   */
  private Plan planExactly(PlanRequest request, ModelProfile profile, List<Document> scope, long corpusTokens,
      PromptTokens tokens, String retrieveWhy, String stuffWhy) {
    long window = profile.promptWindow();
    String tokenizer = tokens.tokenizer();
    if (request.mode() == Mode.RETRIEVE) {
      return retrieveExactly(request, profile, scope, corpusTokens, tokens, retrieveWhy);
    }
    if (request.mode() == Mode.AUTO) {
      if (corpusTokens > 2 * window) {
        return retrieveExactly(request, profile, scope, corpusTokens, tokens, String.format(
            "the scope's %,d tokens (stored %s counts) are more than twice the %,d-token prompt window"
                + " (window %,d minus %,d for the answer)", corpusTokens, counter.name(), window,
            profile.contextWindow(), profile.answerReserve()));
      }
      long whole = tokens.stuffed(scope, request.question(), request.conversation());
      if (whole > window) {
        return retrieveExactly(request, profile, scope, corpusTokens, tokens, String.format(
            "the whole scope would need exactly %,d prompt tokens (%s tokenizer, template included),"
                + " over the %,d-token prompt window", whole, tokenizer, window));
      }
      Optional<String> notStuffed = whyNotStuff(request, profile, whole, "exactly");
      if (notStuffed.isPresent()) {
        return retrieveExactly(request, profile, scope, corpusTokens, tokens, notStuffed.get());
      }
      return new PlanBuilder(request, profile, scope, corpusTokens, window, Scale.exact(tokenizer)).stuff(scope,
          List.of(), whole, String.format("the whole scope fits: exactly %,d prompt tokens (%s tokenizer, template"
              + " included, no margin), within the %,d-token prompt window (window %,d minus %,d for the answer)",
              whole, tokenizer, window, profile.contextWindow(), profile.answerReserve()));
    }
    // stuff was requested: the longest prefix of the scope that fits, found by bisection over exact counts
    int upper = 0;
    for (long stored = 0; upper < scope.size() && stored + scope.get(upper).tokenCount() <= 2 * window; upper++) {
      stored += scope.get(upper).tokenCount();
    }
    int fit = 0;
    long fitTokens = tokens.stuffed(List.of(), request.question(), request.conversation());
    for (int low = 1, high = upper; low <= high; ) {
      int mid = (low + high) >>> 1;
      long needed = tokens.stuffed(scope.subList(0, mid), request.question(), request.conversation());
      if (needed <= window) {
        fit = mid;
        fitTokens = needed;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    String reason = fit == scope.size() ? stuffWhy : String.format("%s; %d of %d"
        + " documents fit the %,d-token prompt window, %d left out", stuffWhy, fit, scope.size(), window, scope.size() - fit);
    return new PlanBuilder(request, profile, scope, corpusTokens, window, Scale.exact(tokenizer))
        .stuff(scope.subList(0, fit), scope.subList(fit, scope.size()), fitTokens, reason);
  }

  private Plan retrieveExactly(PlanRequest request, ModelProfile profile, List<Document> scope, long corpusTokens,
      PromptTokens tokens, String reason) {
    long budget = retrievalBudget(request, profile);
    int topK = topK(request, profile, budget);
    Candidates candidates = candidates(request, topK);
    PlanBuilder builder = new PlanBuilder(request, profile, scope, corpusTokens, budget, Scale.exact(tokens.tokenizer()));
    long packBudget = budget;
    while (true) { // each round packs at least one chunk fewer, so it ends
      Packed packed = pack(request, scope, Scale.exact(tokens.tokenizer()), candidates, packBudget, topK);
      Plan plan = builder.retrieve(packed.included(), packed.passages(), packed.leftOut(), packed.tokens(),
          packed.why(reason, candidates, budget), candidates.vectorSearchOff(), candidates.rerank());
      long exact = tokens.of(assembler.assemble(plan, request.question(), request.conversation()).messages());
      String counted = String.format("; exactly %,d prompt tokens (%s tokenizer, template included)", exact,
          tokens.tokenizer());
      plan = builder.retrieve(packed.included(), packed.passages(), packed.leftOut(), exact,
          packed.why(reason, candidates, budget) + counted, candidates.vectorSearchOff(), candidates.rerank());
      if (exact <= budget || packed.chosen().isEmpty()) {
        return plan;
      }
      // the stored counts were low by about the excess
      packBudget = Math.min(packBudget - (exact - budget), packed.tokens() - 1);
    }
  }

  /** The tokens of a document in a stuffed prompt: its text, its separators, its contents line and its markers. */
  private long documentCost(int index, Document d) {
    return d.tokenCount() + separatorsCost(index, d) + markers.of(d);
  }

  /** The tokens of a document's separators and contents line. */
  private long separatorsCost(int index, Document d) {
    return counter.count(PromptLayout.open(index, d)) + counter.count(PromptLayout.close(index))
        + counter.count(PromptLayout.contentsLine(index, d));
  }

  private long documentsCost(List<Document> docs) {
    long sum = 0;
    for (int i = 0; i < docs.size(); i++) {
      sum += documentCost(i, docs.get(i));
    }
    return sum;
  }

  private long fixedTokens(PlanRequest request) {
    String frame = request.unanswerableMarker() ? PromptLayout.frame(false, true, request.question())
        : PromptLayout.frame(true, request.question());
    return counter.count(PromptLayout.SYSTEM) + counter.count(frame)
        + (request.conversation().isEmpty() ? 0 : counter.count(request.conversation()));
  }


  /** Fills in what every plan states. */
  private final class PlanBuilder {
    private final PlanRequest request;
    private final ModelProfile profile;
    private final List<Document> scope;
    private final long corpusTokens;
    private final long budget;
    private final Scale scale;

    PlanBuilder(PlanRequest request, ModelProfile profile, List<Document> scope, long corpusTokens, long budget,
        Scale scale) {
      this.scale = scale;
      this.request = request;
      this.profile = profile;
      this.scope = scope;
      this.corpusTokens = corpusTokens;
      this.budget = budget;
    }

    Plan stuff(List<Document> included, List<Document> leftOut, long promptTokens, String reason) {
      return build(Mode.STUFF, reason, included, leftOut, List.of(), List.of(), promptTokens, null, null);
    }

    Plan retrieve(List<Document> included, List<Passage> passages, List<FusedChunk> chunksLeftOut, long promptTokens,
        String reason, String vectorSearchOff, String rerank) {
      Set<String> in = new HashSet<>();
      included.forEach(d -> in.add(d.id()));
      List<Document> leftOut = scope.stream().filter(d -> !in.contains(d.id())).toList();
      return build(Mode.RETRIEVE, reason, included, leftOut, passages, chunksLeftOut, promptTokens, vectorSearchOff,
          rerank);
    }

    private Plan build(Mode mode, String reason, List<Document> included, List<Document> leftOut,
        List<Passage> passages, List<FusedChunk> chunksLeftOut, long promptTokens, String vectorSearchOff,
        String rerank) {
      Double prefill = profile.prefillTokensPerSecond() == null ? null
          : promptTokens / profile.prefillTokensPerSecond();
      return Plan.builder().mode(mode).reason(reason).profile(profile.name()).contextWindow(profile.contextWindow())
          .answerReserve(profile.answerReserve()).budget(budget).safetyMargin(scale.margin()).tokenRatio(scale.ratio())
          .tokenizer(scale.tokenizer()).tokenCounting(scale.counting()).corpusTokens(corpusTokens)
          .documentsInScope(scope.size()).promptTokens(promptTokens).documents(included).documentsLeftOut(leftOut)
          .passages(passages).chunksLeftOut(chunksLeftOut.size())
          .bestLeftOut(chunksLeftOut.subList(0, Math.min(BEST_LEFT_OUT, chunksLeftOut.size())))
          .estimatedPrefillSeconds(prefill).vectorSearchOff(vectorSearchOff)
          .unanswerableMarker(request.unanswerableMarker()).rerank(rerank).build();
    }
  }
}
