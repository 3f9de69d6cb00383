package rag.query.retrieve;

import java.util.List;
import org.jboss.logging.Logger;
import rag.storage.Archive;
import rag.storage.embed.Embedder;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.ScoredChunk;
import rag.storage.model.SearchFilter;
import rag.storage.vector.VectorQuery;

/**
 * BM25 and vector kNN over the same scope, fused by reciprocal rank, near-duplicates dropped.
 * A chunk whose vectors are still being computed is found by BM25 alone; with no vectors at all
 * (or no embedder), retrieval is BM25 alone.
 */
public final class HybridRetriever {
  private static final Logger LOG = Logger.getLogger(HybridRetriever.class);

  private final Archive archive;
  private final Embedder embedder;
  private final RankFusion fusion;
  private final NearDuplicates nearDuplicates;

  /** @param embedder the model the archive's vectors were made with; null for BM25 only */
  public HybridRetriever(Archive archive, Embedder embedder, int rrfK, double nearDuplicateThreshold) {
    this.archive = archive;
    this.embedder = embedder;
    this.fusion = new RankFusion(rrfK);
    this.nearDuplicates = new NearDuplicates(nearDuplicateThreshold);
  }

  /** Up to {@code candidates} chunks from each retriever, fused, best first. */
  public List<FusedChunk> retrieve(String question, SearchFilter filter, int candidates) {
    List<ScoredChunk> lexical = lexical(question, filter, candidates);
    List<ScoredChunk> vector = vector(question, filter, candidates);
    return nearDuplicates.filter(fusion.fuse(lexical, vector));
  }

  public List<ScoredChunk> lexical(String question, SearchFilter filter, int candidates) {
    return archive.lexicalSearch(new LexicalQuery(question, filter, candidates));
  }

  public List<ScoredChunk> vector(String question, SearchFilter filter, int candidates) {
    if (embedder == null) {
      return List.of();
    }
    try {
      return archive.vectorSearch(new VectorQuery(embedder.embedQuery(question), filter, candidates));
    } catch (RuntimeException e) {
      LOG.warnf(e, "vector search failed; answering from BM25 alone");
      return List.of();
    }
  }
}
