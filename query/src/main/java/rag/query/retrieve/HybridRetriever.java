package rag.query.retrieve;

import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import rag.storage.Archive;
import rag.storage.embed.Embedder;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.ScoredChunk;
import rag.storage.model.SearchFilter;
import rag.storage.vector.VectorGeneration;
import rag.storage.vector.VectorQuery;

/**
 * BM25 and vector kNN over the same scope, fused (by reciprocal rank unless told otherwise), near-duplicates dropped.
 * A chunk whose vectors are still being computed is found by BM25 alone; with no vectors at all
 * (or no embedder), retrieval is BM25 alone. So is a collection whose vectors come from another embedding model
 * than the one questions are embedded with ({@link #vectorSearchOff}): the two are never compared.
 */
public final class HybridRetriever implements ChunkRetriever {
  private static final Logger LOG = Logger.getLogger(HybridRetriever.class);

  private final Archive archive;
  private final Embedder embedder;
  private final Fusion fusion;
  private final NearDuplicates nearDuplicates;

  /** @param embedder the model the archive's vectors were made with; null for BM25 only */
  public HybridRetriever(Archive archive, Embedder embedder, int rrfK, double nearDuplicateThreshold) {
    this(archive, embedder, new RankFusion(rrfK), nearDuplicateThreshold);
  }

  /** @param fusion how the BM25 and kNN rankings are fused (by rank or by score, weighted) */
  public HybridRetriever(Archive archive, Embedder embedder, Fusion fusion, double nearDuplicateThreshold) {
    this.archive = archive;
    this.embedder = embedder;
    this.fusion = fusion;
    this.nearDuplicates = new NearDuplicates(nearDuplicateThreshold);
  }

  /** Up to {@code candidates} chunks from each retriever, fused, best first. */
  @Override
  public List<FusedChunk> retrieve(String question, SearchFilter filter, int candidates) {
    List<ScoredChunk> lexical = lexical(question, filter, candidates);
    List<ScoredChunk> vector = vector(question, filter, candidates);
    return fuse(lexical, vector);
  }

  /** Two rankings of the same scope fused, best first, near-duplicates of other documents dropped. */
  public List<FusedChunk> fuse(List<ScoredChunk> lexical, List<ScoredChunk> vector) {
    return nearDuplicates.filter(fusion.fuse(lexical, vector));
  }

  public List<ScoredChunk> lexical(String question, SearchFilter filter, int candidates) {
    return archive.lexicalSearch(new LexicalQuery(question, filter, candidates));
  }

  /**
   * Why vector search cannot serve this scope, for plans to say; empty when it can. A collection whose vectors were
   * made by another embedding model (name or dimension) than the configured one needs re-indexing, and until then
   * is searched with BM25 alone.
   */
  @Override
  public Optional<String> vectorSearchOff(SearchFilter scope) {
    if (embedder == null || scope.collection() == null) {
      return Optional.empty();
    }
    VectorGeneration searched = archive.vectorState(scope.collection()).searched();
    if (searched == null || searched.isOf(embedder.modelName(), embedder.dimension())) {
      return Optional.empty();
    }
    return Optional.of(String.format("collection %s holds vectors of %s, not of the configured embedding model %s"
        + " (%d dimensions); it is searched with BM25 alone until it is re-indexed", scope.collection(),
        searched.describe(), embedder.modelName(), embedder.dimension()));
  }

  /** {@link #dense}, or nothing when there is no embedder, the scope needs re-indexing, or it fails (logged). */
  public List<ScoredChunk> vector(String question, SearchFilter filter, int candidates) {
    if (embedder == null || vectorSearchOff(filter).isPresent()) {
      return List.of(); // never embed a question with one model to compare it with another model's vectors
    }
    try {
      return dense(question, filter, candidates);
    } catch (RuntimeException e) {
      LOG.warnf(e, "vector search failed; answering from BM25 alone");
      return List.of();
    }
  }

  /** True when this retriever can embed questions, so that {@link #dense} can run. */
  public boolean hasEmbedder() {
    return embedder != null;
  }

  /**
   * Cosine kNN of the question's embedding over published versions that have vectors, best first. Failures of the
   * embedder are thrown (an {@link rag.storage.embed.EmbeddingException} from an embedding server).
   *
   * @throws IllegalStateException when this retriever has no embedder
   */
  public List<ScoredChunk> dense(String question, SearchFilter filter, int candidates) {
    if (embedder == null) {
      throw new IllegalStateException("dense retrieval needs the embedding model of the archive's vectors; this"
          + " retriever has none");
    }
    return archive.vectorSearch(new VectorQuery(embedder.embedQuery(question), filter, candidates,
        embedder.modelName()));
  }
}
