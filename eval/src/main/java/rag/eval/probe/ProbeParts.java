package rag.eval.probe;

import java.nio.file.Path;
import java.util.Objects;
import rag.ingest.chunk.Chunker;
import rag.query.plan.PlannerSettings;
import rag.storage.embed.Embedder;
import rag.storage.embed.TokenCounter;

/**
 * The parts of the service a probe rebuilds over its own scratch archive, so that it measures what the service
 * does: the embedder and chunker of ingest, the token counter shared by ingest and query, the planner's settings
 * and the hybrid retriever's fusion constant and near-duplicate threshold. {@code scratchDir} is where scratch
 * archives go (null: the system's temporary folder).
 */
public record ProbeParts(Embedder embedder, Chunker chunker, TokenCounter counter, PlannerSettings planner,
    int rrfK, double nearDuplicateThreshold, Path scratchDir) {
  /** Reciprocal rank fusion's k, as in the original paper and the service's default. */
  public static final int DEFAULT_RRF_K = 60;
  public static final double DEFAULT_NEAR_DUPLICATE_THRESHOLD = 0.9;

  public ProbeParts {
    Objects.requireNonNull(embedder, "embedder");
    Objects.requireNonNull(chunker, "chunker");
    Objects.requireNonNull(counter, "counter");
    planner = planner == null ? PlannerSettings.DEFAULT : planner;
  }

  public ProbeParts(Embedder embedder, Chunker chunker, TokenCounter counter, Path scratchDir) {
    this(embedder, chunker, counter, PlannerSettings.DEFAULT, DEFAULT_RRF_K, DEFAULT_NEAR_DUPLICATE_THRESHOLD,
        scratchDir);
  }
}
