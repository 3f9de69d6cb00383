/**
 * Hybrid retrieval. In: a question and a scope ({@link rag.storage.model.SearchFilter}). Out: chunks
 * fused from BM25 and vector kNN by reciprocal rank ({@link rag.query.retrieve.FusedChunk}, best
 * first, near-duplicates of other documents dropped), and, once chosen, {@link
 * rag.query.retrieve.Passage}s: neighbours merged, in document then position order.
 */
package rag.query.retrieve;
