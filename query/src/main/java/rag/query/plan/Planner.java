package rag.query.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import rag.query.assemble.PromptLayout;
import rag.query.profile.ModelProfile;
import rag.query.retrieve.FusedChunk;
import rag.query.retrieve.HybridRetriever;
import rag.query.retrieve.Passage;
import rag.query.retrieve.Passages;
import rag.storage.catalog.DocumentCatalog;
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
  private final DocumentCatalog catalog;
  private final HybridRetriever retriever;
  private final TokenCounter counter;
  private final PlannerSettings settings;
  private final TokenCalibration calibration;
  private final ServedWindows servedWindows;
  private final MarkerTokens markers;
  private static final int BEST_LEFT_OUT = 20;

  public Planner(DocumentCatalog catalog, HybridRetriever retriever, TokenCounter counter, PlannerSettings settings) {
    this(catalog, retriever, counter, settings, TokenCalibration.NONE, ServedWindows.NONE);
  }

  public Planner(DocumentCatalog catalog, HybridRetriever retriever, TokenCounter counter, PlannerSettings settings,
      TokenCalibration calibration) {
    this(catalog, retriever, counter, settings, calibration, ServedWindows.NONE);
  }

  /** @param servedWindows what the servers serve: a smaller served window replaces the configured one */
  public Planner(DocumentCatalog catalog, HybridRetriever retriever, TokenCounter counter, PlannerSettings settings,
      TokenCalibration calibration, ServedWindows servedWindows) {
    this.servedWindows = servedWindows;
    this.catalog = catalog;
    this.retriever = retriever;
    this.counter = counter;
    this.settings = settings;
    this.calibration = calibration;
    this.markers = new MarkerTokens(catalog, counter);
  }

  /**
   * Stored counts to the model's tokens: the server's measured ratio (with 2% to spare) when it
   * has {@code /tokenize}, otherwise the safety margin.
   */
  private record Scale(Double ratio, double factor) {
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

  public Plan plan(PlanRequest request, ModelProfile configured) {
    java.util.OptionalLong served = servedWindows.window(configured);
    if (served.isPresent() && served.getAsLong() < configured.contextWindow()
        && served.getAsLong() > configured.answerReserve()) {
      Plan plan = planFor(request, configured.withContextWindow(served.getAsLong()));
      return plan.withReason(String.format("%s; the server serves a %,d-token window, below the configured %,d",
          plan.reason(), served.getAsLong(), configured.contextWindow()));
    }
    return planFor(request, configured);
  }

  private Plan planFor(PlanRequest request, ModelProfile profile) {
    java.util.OptionalDouble ratio = calibration.ratio(profile);
    Scale scale = ratio.isPresent() ? new Scale(ratio.getAsDouble(), ratio.getAsDouble() * 1.02)
        : new Scale(null, 1 + settings.safetyMargin());
    List<Document> scope = ScopeDocuments.list(catalog, request.scope());
    long corpusTokens = scope.stream().mapToLong(Document::tokenCount).sum();
    long window = profile.promptWindow();
    long fixed = fixedTokens(request);
    if (scope.isEmpty()) {
      return new Builder(request, profile, scope, corpusTokens, window, scale).retrieve(List.of(), List.of(), List.of(), fixed,
          "the scope holds no published documents", null);
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
      return stuff(request, profile, scope, corpusTokens, fixed, scale, String.format(
          "the whole scope fits: about %,d prompt tokens with separators and %s, within the"
              + " %,d-token prompt window (window %,d minus %,d for the answer)",
          stuffed, scale.describe(), window, profile.contextWindow(), profile.answerReserve()));
    }
    if (mode == Mode.STUFF) {
      return stuff(request, profile, scope, corpusTokens, fixed, scale, "stuff was requested");
    }
    return retrieve(request, profile, scope, corpusTokens, scale, "retrieve was requested");
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
    return new Builder(request, profile, scope, corpusTokens, window, scale).stuff(included, leftOut, scale.apply(used), why);
  }

  private Plan retrieve(PlanRequest request, ModelProfile profile, List<Document> scope, long corpusTokens,
      Scale scale, String reason) {
    long budget = Math.min(profile.retrievalBudget(), profile.promptWindow());
    int topK = request.topK() == null ? settings.defaultTopK() : request.topK();
    List<FusedChunk> candidates = retriever.retrieve(request.question(), request.scope(), settings.candidates());
    String vectorSearchOff = retriever.vectorSearchOff(request.scope()).orElse(null);
    Map<String, Document> byId = new HashMap<>();
    scope.forEach(d -> byId.put(d.id(), d));
    long used = fixedTokens(request);
    Set<String> documentsUsed = new LinkedHashSet<>();
    List<FusedChunk> chosen = new ArrayList<>();
    List<FusedChunk> leftOut = new ArrayList<>();
    for (FusedChunk f : candidates) {
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
    List<Passage> passages = Passages.inDocumentOrder(chosen, order);
    List<Document> included = order.stream().map(byId::get).toList();
    String why = String.format("%s; %d of %d candidate chunks packed within the %,d-token retrieval budget"
        + " (top %d at most)%s", reason, chosen.size(), candidates.size(), budget, topK,
        vectorSearchOff == null ? "" : "; BM25 only: " + vectorSearchOff);
    return new Builder(request, profile, scope, corpusTokens, budget, scale).retrieve(included, passages, leftOut,
        scale.apply(used), why, vectorSearchOff);
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
    return counter.count(PromptLayout.SYSTEM) + counter.count(PromptLayout.frame(true, request.question()))
        + (request.conversation().isEmpty() ? 0 : counter.count(request.conversation()));
  }


  /** Fills in what every plan states. */
  private final class Builder {
    private final PlanRequest request;
    private final ModelProfile profile;
    private final List<Document> scope;
    private final long corpusTokens;
    private final long budget;
    private final Scale scale;

    Builder(PlanRequest request, ModelProfile profile, List<Document> scope, long corpusTokens, long budget,
        Scale scale) {
      this.scale = scale;
      this.request = request;
      this.profile = profile;
      this.scope = scope;
      this.corpusTokens = corpusTokens;
      this.budget = budget;
    }

    Plan stuff(List<Document> included, List<Document> leftOut, long promptTokens, String reason) {
      return build(Mode.STUFF, reason, included, leftOut, List.of(), List.of(), promptTokens, null);
    }

    Plan retrieve(List<Document> included, List<Passage> passages, List<FusedChunk> chunksLeftOut, long promptTokens,
        String reason, String vectorSearchOff) {
      Set<String> in = new java.util.HashSet<>();
      included.forEach(d -> in.add(d.id()));
      List<Document> leftOut = scope.stream().filter(d -> !in.contains(d.id())).toList();
      return build(Mode.RETRIEVE, reason, included, leftOut, passages, chunksLeftOut, promptTokens, vectorSearchOff);
    }

    private Plan build(Mode mode, String reason, List<Document> included, List<Document> leftOut,
        List<Passage> passages, List<FusedChunk> chunksLeftOut, long promptTokens, String vectorSearchOff) {
      Double prefill = profile.prefillTokensPerSecond() == null ? null
          : promptTokens / profile.prefillTokensPerSecond();
      return new Plan(mode, reason, profile.name(), profile.contextWindow(), profile.answerReserve(), budget,
          scale.ratio() == null ? settings.safetyMargin() : 0.02, scale.ratio(), counter.name(), corpusTokens,
          scope.size(), promptTokens, included, leftOut, passages, chunksLeftOut.size(),
          chunksLeftOut.subList(0, Math.min(BEST_LEFT_OUT, chunksLeftOut.size())), prefill, vectorSearchOff);
    }
  }
}
