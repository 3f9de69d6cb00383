/**
 * Hybrid retrieval. In: a question and a scope ({@link rag.storage.model.SearchFilter}). Out: chunks
 * fused from BM25 and vector kNN by reciprocal rank ({@link rag.query.retrieve.FusedChunk}, best
 * first, near-duplicates of other documents dropped), and, once chosen, {@link
 * rag.query.retrieve.Passage}s: neighbours merged, in document then position order.
 *
 * <p>Retrieval without generation: {@link rag.query.retrieve.ChunkSearch} takes a {@link
 * rag.query.retrieve.SearchRequest} (query, scope, {@code bm25}, {@code dense} or {@code hybrid}, top k)
 * and gives {@link rag.query.retrieve.SearchResults}: ranked {@link rag.query.retrieve.SearchHit}s, each
 * a chunk with its provenance and its published document. {@link rag.query.retrieve.ArchiveContentRetriever}
 * offers the same as a LangChain4j {@code ContentRetriever}.
 */
package rag.query.retrieve;
