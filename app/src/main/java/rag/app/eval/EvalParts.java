package rag.app.eval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;
import rag.app.config.RagConfig;
import rag.eval.probe.ProbeParts;
import rag.ingest.chunk.Chunker;
import rag.query.generate.ModelClient;
import rag.query.generate.RoutingModelClient;
import rag.query.profile.ModelProfile;
import rag.query.profile.ModelProfiles;
import rag.storage.Archive;
import rag.storage.embed.CachingEmbedder;
import rag.storage.embed.Embedder;
import rag.storage.embed.TokenCounter;

/**
 * The service's parts an evaluation rebuilds its scratch stack from: the embedder (through the archive's persistent
 * embedding cache, so a rerun does not embed the same haystack or corpus again), the chunker and token counter of
 * ingest, the model profiles and the model client of query. Profiles and the model client come from their beans
 * when the application has them; until then a run uses {@link #BUILT_IN_PROFILES} and LangChain4j-backed clients.
 */
@ApplicationScoped
public class EvalParts {
  private static final Logger LOG = Logger.getLogger(EvalParts.class);

  /**
   * The two deployments the service is built for, without model servers (no answers are generated): Qwen 3 with a
   * 262,144-token window (retrieve) and Llama 4 Scout as docker-compose.yml deploys it, with a 1,000,000-token
   * window (stuff). Used only when the application has no {@link ModelProfiles} bean.
   */
  static final ModelProfiles BUILT_IN_PROFILES = new ModelProfiles(List.of(
      new ModelProfile("qwen3", null, "qwen3", null, 262_144, 8_192, "cl100k_base", null, null, 32_768),
      new ModelProfile("llama4-scout", null, "llama4-scout", null, 1_000_000, 8_192, "cl100k_base", null, null,
          32_768)), "qwen3");

  @Inject
  RagConfig config;

  @Inject
  Archive archive;

  @Inject
  Embedder serviceEmbedder;

  @Inject
  TokenCounter counter;

  @Inject
  Chunker chunker;

  @Inject
  Instance<ModelProfiles> configuredProfiles;

  @Inject
  Instance<ModelClient> configuredClient;

  private volatile ModelClient fallbackClient;

  public ModelProfiles profiles() {
    if (configuredProfiles.isResolvable()) {
      return configuredProfiles.get();
    }
    return BUILT_IN_PROFILES;
  }

  public ModelClient modelClient() {
    if (configuredClient.isResolvable()) {
      return configuredClient.get();
    }
    if (fallbackClient == null) {
      synchronized (this) {
        if (fallbackClient == null) {
          LOG.info("no ModelClient bean: end-to-end evaluations use RoutingModelClient.withDefaults()");
          fallbackClient = RoutingModelClient.withDefaults();
        }
      }
    }
    return fallbackClient;
  }

  /** The service's embedder behind the archive's persistent embedding cache. */
  public Embedder embedder() {
    return new CachingEmbedder(serviceEmbedder, archive.embeddingCache());
  }

  public ProbeParts probeParts() {
    return new ProbeParts(embedder(), chunker, counter, scratchDir());
  }

  public Chunker chunker() {
    return chunker;
  }

  public TokenCounter counter() {
    return counter;
  }

  public Archive archive() {
    return archive;
  }

  /** Where scratch archives go: {@code rag.eval.scratch-dir}, else the system's temporary folder (null). */
  public Path scratchDir() {
    return config.eval().scratchDir().map(p -> p.toAbsolutePath()).orElse(null);
  }

  public Path reportsDir() {
    return config.eval().reportsDir().orElse(config.dataDir().resolve("eval")).toAbsolutePath();
  }

  public EvalLimits limits() {
    RagConfig.Eval e = config.eval();
    return new EvalLimits(e.maxContextLength(), e.maxGridCells(), e.haystackDocumentTokens());
  }

  public List<Path> allowedRoots() {
    return config.ingest().allowedRoots().orElse(List.of());
  }

  public int maxQueuedRuns() {
    return config.eval().maxQueuedRuns();
  }

  EvalRequests requests() {
    return new EvalRequests(profiles(), limits(), allowedRoots(), archive.catalog());
  }
}
