package rag.app.eval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import rag.app.config.RagConfig;
import rag.storage.blobs.BlobStore;
import rag.eval.probe.ProbeParts;
import rag.ingest.chunk.Chunker;
import rag.query.QueryPipeline;
import rag.query.retrieve.ChunkSearch;
import rag.query.generate.ModelClient;
import rag.query.profile.ModelProfiles;
import rag.storage.Archive;
import rag.storage.embed.CachingEmbedder;
import rag.storage.embed.Embedder;
import rag.storage.embed.TokenCounter;

/**
 * The service's parts an evaluation rebuilds its scratch stack from: the embedder (through the archive's persistent
 * embedding cache, so a rerun does not embed the same haystack or corpus again), the chunker and token counter of
 * ingest, the model profiles and the model client of query.
 */
@ApplicationScoped
public class EvalParts {
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
  ModelProfiles profiles;

  @Inject
  ModelClient modelClient;

  @Inject
  QueryPipeline pipeline;

  @Inject
  ChunkSearch chunkSearch;

  /** Hybrid's fusion as the service is configured ({@code rag.planner.fusion} and its weights). */
  public rag.query.retrieve.Fusion fusion() {
    return rag.app.wiring.QueryWiring.fusion(config.planner());
  }

  /** BM25 as the service is configured ({@code rag.index.*}), for scratch archives. */
  public rag.storage.lexical.Bm25Params bm25() {
    return rag.app.wiring.StorageWiring.bm25(config.index());
  }

  /** Whether chunk headers are embedded ({@code rag.index.embed-context}). */
  public boolean embedContext() {
    return config.index().embedContext();
  }

  /** The service's own search (collection retrieval-accuracy runs grade its rankings). */
  public ChunkSearch chunkSearch() {
    return chunkSearch;
  }

  /** The service's own query pipeline (the retrieval-budget sweep asks through it). */
  public QueryPipeline pipeline() {
    return pipeline;
  }

  public ModelProfiles profiles() {
    return profiles;
  }

  public ModelClient modelClient() {
    return modelClient;
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

  /** Where reports are kept for every instance: the catalog's database on the cluster backend; null otherwise. */
  BlobStore sharedReports() {
    return config.storage().backend() == RagConfig.Backend.CLUSTER ? archive().blobs() : null;
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
    return new EvalRequests(profiles(), limits(), allowedRoots(), archive.reader(), chunkSearch.canRerank());
  }
}
