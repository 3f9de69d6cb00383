package rag.query.retrieve;

import rag.storage.model.Chunk;
import rag.storage.model.Document;

/**
 * One chunk found by a search, with the published document version it belongs to.
 *
 * @param rank 1-based position in the results
 * @param score what the ranking scores by: the BM25 score ({@code bm25}), the cosine similarity of the chunk's vector
 *     and the question's ({@code dense}), the reciprocal rank fusion score ({@code hybrid}), the reranker's relevance
 *     ({@code hybrid+rerank}, the fused score for chunks past its top N or when it failed); comparable only within
 *     one search
 * @param bm25Rank for {@code hybrid} (and {@code hybrid+rerank}), the chunk's 1-based rank in the BM25 list (null when BM25 did not return it);
 *     null for the other rankings
 * @param denseRank for {@code hybrid}, its rank in the kNN list (null when kNN did not return it, e.g. the document
 *     has no vectors yet); null for the other rankings
 */
public record SearchHit(int rank, double score, Chunk chunk, Document document, Integer bm25Rank, Integer denseRank) {}
