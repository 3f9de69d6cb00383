package rag.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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

  public QueryPipeline(CatalogReader catalog, ModelProfiles profiles, Planner planner, ChunkRetriever retriever,
      ModelClient client) {
    this.catalog = catalog;
    this.profiles = profiles;
    this.planner = planner;
    this.retriever = retriever;
    this.assembler = new PromptAssembler(catalog);
    this.client = client;
  }

  public ModelProfiles profiles() {
    return profiles;
  }

  /** @param conversation earlier turns as the prompt will show them, or null */
  public Plan plan(QueryRequest request, String conversation) {
    Plan plan = planner.plan(new PlanRequest(request.question(), request.scope(), request.mode(), request.topK(),
        conversation, request.stuffLimit()), profiles.get(request.profile()));
    if (request.stuffLimit() != null && plan.mode() == Mode.STUFF && plan.promptTokens() > request.stuffLimit()) {
      throw new StuffLimitException(String.format(Locale.ROOT, "stuffing this scope takes %,d prompt tokens, over"
          + " this caller's limit of %,d; ask in mode auto or retrieve", plan.promptTokens(), request.stuffLimit()));
    }
    return plan;
  }

  public AssembledPrompt prompt(Plan plan, String question, String conversation) {
    return assembler.assemble(plan, question, conversation);
  }

  public Answer answer(QueryRequest request, TokenSink sink) {
    return answer(request, null, sink);
  }

  /** @throws GenerationFailedException when the model server fails (it carries the plan) */
  public Answer answer(QueryRequest request, String conversation, TokenSink sink) {
    ModelProfile profile = profiles.get(request.profile());
    Plan plan = plan(request, conversation);
    if (plan.isEmpty() || !profile.hasModel()) {
      ExtractiveAnswerer.Extract extract = plan.isEmpty()
          ? new ExtractiveAnswerer.Extract(ExtractiveAnswerer.NOTHING, List.of())
          : extractive.answer(request.question(), bestPassages(request, plan));
      sink.onToken(extract.answer());
      return new Answer(extract.answer(), Answer.Kind.EXTRACTIVE, plan, extract.citations(), null);
    }
    AssembledPrompt prompt = assembler.assemble(plan, request.question(), conversation);
    Generation generation;
    try {
      generation = client.generate(endpoint(profile), prompt.messages(), sink);
    } catch (ModelException e) {
      throw new GenerationFailedException(plan, e);
    }
    return new Answer(generation.text(), Answer.Kind.GENERATED, plan,
        CitationExtractor.extract(generation.text(), prompt.citations()), generation);
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
