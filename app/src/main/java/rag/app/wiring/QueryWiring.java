package rag.app.wiring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import rag.app.config.RagConfig;
import rag.app.eval.MeasuredEffectiveContexts;
import rag.query.PrefillMeter;
import rag.query.QueryPipeline;
import rag.query.ServerTokenCalibration;
import rag.query.ServerWindows;
import rag.query.admission.AdmittedEmbedder;
import rag.query.admission.AdmittedModelClient;
import rag.query.admission.Bulkhead;
import rag.query.generate.OpenAiModelsClient;
import rag.query.generate.OpenAiTokenizeClient;
import rag.query.chat.ChatService;
import rag.query.chat.CatalogConversationStore;
import rag.query.chat.ConversationStore;
import rag.query.chat.FileConversationStore;
import rag.query.generate.ModelClient;
import rag.query.generate.RoutingModelClient;
import rag.query.plan.ExactTokenCounts;
import rag.query.plan.Planner;
import rag.query.plan.PlannerSettings;
import rag.query.profile.ModelProfile;
import rag.query.profile.ModelProfiles;
import rag.query.rerank.OpenAiCompatibleScoringModel;
import rag.query.rerank.Reranker;
import rag.query.retrieve.ChunkSearch;
import rag.query.retrieve.HybridRetriever;
import rag.query.retrieve.Fusion;
import rag.storage.Archive;
import rag.storage.embed.Embedder;
import rag.storage.embed.TokenCounter;

/** Model profiles, the retriever, the planner and the query pipeline, from {@link RagConfig}. */
@ApplicationScoped
public class QueryWiring {
  private static final Logger LOG = Logger.getLogger(QueryWiring.class);

  @Produces
  @Singleton
  ModelProfiles profiles(RagConfig config) {
    List<ModelProfile> profiles = new ArrayList<>();
    for (Map.Entry<String, RagConfig.Model> e : config.models().entrySet()) {
      RagConfig.Model m = e.getValue();
      ModelProfile p = ModelProfile.builder(e.getKey()).baseUrl(m.baseUrl().orElse(null))
          .model(m.model().orElse(null)).apiKey(m.apiKey().orElse(null)).contextWindow(m.contextWindow())
          .answerReserve(m.answerReserve()).tokenizer(m.tokenizer())
          .prefillTokensPerSecond(m.prefillTokensPerSecond().orElse(null))
          .maxPrefillSeconds(m.maxPrefillSeconds().orElse(null))
          .effectiveContext(m.effectiveContext().orElse(null)).timeout(m.timeout())
          .retrievalBudget(m.retrievalBudget()).stallTimeout(m.stallTimeout()).build();
      LOG.infof("model profile %s", p); // toString masks the key
      profiles.add(p);
    }
    return new ModelProfiles(profiles, config.planner().defaultProfile());
  }

  /** One bulkhead per model server (profiles naming the same server and model share the first one's). */
  @Produces
  @Singleton
  AdmissionBounds admissionBounds(RagConfig config, ModelProfiles profiles) {
    RagConfig.Admission a = config.admission();
    Map<AdmittedModelClient.Server, Bulkhead> models = new LinkedHashMap<>();
    for (ModelProfile profile : profiles.all()) {
      if (profile.hasModel()) {
        RagConfig.Model m = config.models().get(profile.name());
        models.computeIfAbsent(AdmittedModelClient.Server.of(QueryPipeline.endpoint(profile)),
            server -> new Bulkhead("model:" + profile.name(), m.maxConcurrent(), m.maxWaiting(), a.maxWait()));
      }
    }
    AdmissionBounds bounds = new AdmissionBounds(models,
        new Bulkhead("question-embeddings", a.embeddingsConcurrent(), a.embeddingsWaiting(), a.embeddingsMaxWait()),
        new Bulkhead("stuffed-tokens", a.stuffedTokens(), a.stuffedWaiting(), a.maxWait()));
    LOG.infof("admission bounds: %s", bounds.all());
    return bounds;
  }

  @Produces
  @Singleton
  HybridRetriever retriever(RagConfig config, Archive archive, Embedder embedder, AdmissionBounds bounds) {
    RagConfig.Planner p = config.planner();
    Embedder questions = embedder == null ? null : new AdmittedEmbedder(embedder, bounds.questionEmbeddings());
    return new HybridRetriever(archive, questions, fusion(p), p.nearDuplicateThreshold());
  }

  /** Hybrid's fusion as configured ({@code rag.planner.fusion}, its weights and k); evaluations use it too. */
  public static Fusion fusion(RagConfig.Planner p) {
    return Fusion.named(p.fusion(), p.rrfK(), new Fusion.Weights(p.bm25Weight(), p.denseWeight()));
  }

  /** The cross-encoder of {@code rag.rerank.*}, or none when no base URL is set. */
  @Produces
  @Singleton
  Reranker reranker(RagConfig config) {
    RagConfig.Rerank r = config.rerank();
    if (r.baseUrl().isEmpty()) {
      return Reranker.none();
    }
    OpenAiCompatibleScoringModel.Api api;
    try {
      api = OpenAiCompatibleScoringModel.Api.parse(r.api());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("illegal rag.rerank.api '" + r.api() + "', must be cohere or tei");
    }
    OpenAiCompatibleScoringModel model = new OpenAiCompatibleScoringModel(r.baseUrl().get(), r.model().orElse(null),
        r.apiKey().orElse(null), r.timeout(), api);
    Reranker reranker = new Reranker(model, r.model().orElse(model.endpoint().toString()), r.topN(), r.timeout(),
        r.maxChars(), r.answers());
    LOG.infof("reranker %s at %s (%s shape)%s", reranker, model.endpoint(), api.name().toLowerCase(java.util.Locale.ROOT),
        r.answers() ? ", for answers too" : "");
    return reranker;
  }

  /** Retrieval without generation ({@code POST .../search}): hybrid fuses at least rag.planner.candidates per list. */
  @Produces
  @Singleton
  ChunkSearch chunkSearch(RagConfig config, Archive archive, HybridRetriever retriever, Reranker reranker) {
    return new ChunkSearch(retriever, archive.reader(), config.planner().candidates(), reranker);
  }

  /** LangChain4j's client for ordinary prompts; prompts too large to hold twice are streamed to the server. */
  @Produces
  @Singleton
  ModelClient modelClient(AdmissionBounds bounds) {
    return new AdmittedModelClient(RoutingModelClient.withDefaults(), bounds.models());
  }

  /** Exact counters for the profiles whose tokenizer the service ships. */
  @Produces
  @Singleton
  ExactTokenCounts exactTokenCounts(ModelProfiles profiles, Archive archive) {
    return ExactTokenCounts.of(profiles.all(), archive.reader(), archive.tokenCounts());
  }

  /** Prefill speeds measured from the answers of each profile's server (in memory, per instance). */
  @Produces
  @Singleton
  PrefillMeter prefillMeter() {
    return new PrefillMeter();
  }

  @Produces
  @Singleton
  QueryPipeline queryPipeline(RagConfig config, Archive archive, ModelProfiles profiles, HybridRetriever retriever,
      TokenCounter counter, ModelClient client, ExactTokenCounts exactCounts, MeasuredEffectiveContexts measured,
      PrefillMeter prefill, Reranker reranker, AdmissionBounds bounds) {
    RagConfig.Planner p = config.planner();
    Planner planner = Planner.builder(archive.reader(), counter).retriever(retriever)
        .settings(new PlannerSettings(p.safetyMargin(), p.candidates(), p.topK(), p.selfRoute(), p.mmrLambda()))
        .calibration(new ServerTokenCalibration(new OpenAiTokenizeClient(), counter))
        .servedWindows(new ServerWindows(new OpenAiModelsClient())).exactCounts(exactCounts).effectiveContexts(measured).prefillSpeeds(prefill)
        .reranker(reranker).build();
    return new QueryPipeline(archive.reader(), profiles, planner, retriever, client, prefill)
        .stuffedTokens(bounds.stuffedTokens());
  }

  @Produces
  @Singleton
  ChatService chat(RagConfig config, QueryPipeline pipeline, ModelClient client, Archive archive) {
    // the cluster backend keeps them in PostgreSQL, so that every instance sees every conversation
    ConversationStore conversations = config.storage().backend() == RagConfig.Backend.CLUSTER
        ? new CatalogConversationStore(archive.stores().conversations())
        : new FileConversationStore(config.dataDir().resolve("conversations"));
    return new ChatService(pipeline, conversations, client);
  }
}
