package rag.query.retrieve;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jboss.logging.Logger;
import rag.query.rerank.Reranker;
import rag.storage.catalog.CatalogReader;
import rag.storage.embed.EmbeddingException;
import rag.storage.model.Document;
import rag.storage.model.DocumentStatus;
import rag.storage.model.ScoredChunk;
import rag.storage.model.SearchFilter;
import rag.storage.problem.InvalidInputException;

/**
 * Retrieval without generation, for callers that build their own prompts: the best chunks of a scope for a query, by
 * BM25, by vector kNN or by both fused ({@link HybridRetriever}), each with its document. Nothing but the embedding
 * model is called.
 *
 * <p>Only published versions are searched: the archive filters every index hit through the catalog, and a hit whose
 * document was replaced or deleted between the search and the reading of its document is dropped (the results may then
 * hold fewer than {@code topK} chunks). {@code hybrid} asks each list for {@code max(candidates, topK)} chunks, fuses
 * them and drops near-duplicates of other documents, as question answering does; {@code bm25} and {@code dense} return
 * their rankings as they are.
 *
 * <p>Documents without vectors (being embedded, or whose embedding failed) are found by BM25 as soon as they are
 * searchable: {@code hybrid} ranks their chunks by the BM25 rank alone, {@code dense} cannot see them. The results count
 * such documents of the scope, so a short {@code dense} answer says why. When the question cannot be embedded,
 * {@code dense} fails (an {@link EmbeddingException} from an embedding server) and {@code hybrid} ranks by BM25 alone
 * with a warning.
 *
 * <p>{@code hybrid+rerank} is {@code hybrid} with the fused top N ordered by the configured {@link Reranker}; when it
 * fails the fused order stands, with a warning; with none configured the request is refused.
 */
public final class ChunkSearch {
  private static final Logger LOG = Logger.getLogger(ChunkSearch.class);

  private final HybridRetriever retriever;
  private final CatalogReader catalog;
  private final int candidates;
  private final Reranker reranker;

  /**
   * @param retriever the hybrid retriever over the archive (its embedder is the one of the archive's vectors)
   * @param catalog the archive's catalog, for the documents of the hits
   * @param candidates chunks each list gives {@code hybrid} to fuse at least ({@code rag.planner.candidates})
   */
  public ChunkSearch(HybridRetriever retriever, CatalogReader catalog, int candidates) {
    this(retriever, catalog, candidates, Reranker.none());
  }

  /** @param reranker for {@code hybrid+rerank}; {@link Reranker#none()} refuses it */
  public ChunkSearch(HybridRetriever retriever, CatalogReader catalog, int candidates, Reranker reranker) {
    this.reranker = Objects.requireNonNull(reranker, "reranker");
    this.retriever = Objects.requireNonNull(retriever, "retriever");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    if (candidates < 1 || candidates > 10_000) {
      throw new IllegalArgumentException("illegal candidates " + candidates + ", must be in 1..10000");
    }
    this.candidates = candidates;
  }

  /**
   * The best chunks for the request, best first, at most {@code topK}.
   *
   * @throws IllegalStateException for {@code dense} when the retriever has no embedder
   * @throws EmbeddingException for {@code dense} when the embedding server cannot embed the question
   * @throws InvalidInputException for {@code hybrid+rerank} when no reranker is configured
   */
  public SearchResults search(SearchRequest request) {
    List<String> warnings = new ArrayList<>();
    List<FusedChunk> ranked = switch (request.retriever()) {
      case BM25 -> unfused(retriever.lexical(request.query(), request.scope(), request.topK()));
      case DENSE -> unfused(retriever.dense(request.query(), request.scope(), request.topK()));
      case HYBRID -> hybrid(request, warnings);
      case HYBRID_RERANK -> reranked(request, warnings);
    };
    Integer withoutVectors = request.retriever() == RetrieverKind.BM25 ? null
        : documentsWithoutVectors(request.scope());
    return new SearchResults(withDocuments(ranked, request), withoutVectors, warnings);
  }

  /** Whether {@code hybrid+rerank} can be asked for. */
  public boolean canRerank() {
    return reranker.configured();
  }

  private List<FusedChunk> reranked(SearchRequest request, List<String> warnings) {
    if (!reranker.configured()) {
      throw new InvalidInputException("hybrid+rerank needs a reranker, and none is configured (rag.rerank.base-url)");
    }
    Reranker.Reranked reranked = reranker.rerank(request.query(), hybrid(request, warnings));
    if (!reranked.reranked()) {
      warnings.add(reranked.note());
    }
    return reranked.chunks();
  }

  private List<FusedChunk> hybrid(SearchRequest request, List<String> warnings) {
    int perList = Math.max(candidates, request.topK());
    List<ScoredChunk> lexical = retriever.lexical(request.query(), request.scope(), perList);
    List<ScoredChunk> vector = List.of();
    if (!retriever.hasEmbedder()) {
      warnings.add("no embedding model is configured: ranked by BM25 alone");
    } else {
      try {
        vector = retriever.dense(request.query(), request.scope(), perList);
      } catch (RuntimeException e) {
        LOG.warnf(e, "the search question could not be embedded; ranking by BM25 alone");
        warnings.add("the question could not be embedded ("
            + (e instanceof EmbeddingException ? e.getMessage() : "see the server log") + "): ranked by BM25 alone");
      }
    }
    return retriever.fuse(lexical, vector);
  }

  /** A single ranking in the shape of fused ones: its own scores, no per-list ranks. */
  private static List<FusedChunk> unfused(List<ScoredChunk> ranking) {
    return ranking.stream().map(s -> new FusedChunk(s.chunk(), s.score(), null, null)).toList();
  }

  private List<SearchHit> withDocuments(List<FusedChunk> ranked, SearchRequest request) {
    List<FusedChunk> top = ranked.subList(0, Math.min(request.topK(), ranked.size()));
    Set<String> ids = new LinkedHashSet<>();
    top.forEach(f -> ids.add(f.chunk().documentId()));
    Map<String, Document> documents = catalog.findAll(ids);
    boolean fused = request.retriever() == RetrieverKind.HYBRID || request.retriever() == RetrieverKind.HYBRID_RERANK;
    List<SearchHit> hits = new ArrayList<>(top.size());
    for (FusedChunk f : top) {
      Document d = documents.get(f.chunk().documentId());
      if (d == null || d.version() != f.chunk().version()) {
        continue; // replaced or deleted since the index answered
      }
      double score = f.rerankScore() != null ? f.rerankScore() : f.score();
      hits.add(new SearchHit(hits.size() + 1, score, f.chunk(), d, fused ? f.lexicalRank() : null,
          fused ? f.vectorRank() : null));
    }
    return hits;
  }

  private int documentsWithoutVectors(SearchFilter scope) {
    int count = 0;
    for (DocumentStatus status : List.of(DocumentStatus.SEARCHABLE, DocumentStatus.FAILED)) {
      for (Document d : catalog.publishedWithStatus(status)) {
        if (d.chunkCount() > 0 && scope.matches(d)) {
          count++;
        }
      }
    }
    return count;
  }
}
