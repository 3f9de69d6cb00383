/**
 * Retrieval accuracy on datasets in the BEIR layout. In: a BEIR folder ({@link rag.eval.beir.BeirLoader}) and
 * {@link rag.eval.beir.RankedRetriever}s supplied by the caller. Out: one {@link rag.eval.beir.RetrievalResult} per
 * retriever ({@link rag.eval.beir.RetrievalRun}) with nDCG@10, recall@10, recall@100 and MRR@10 (mean over the
 * queries that have judgments), per-query rows, indexing time and search latency percentiles.
 */
package rag.eval.beir;
