/**
 * Ranking metrics with trec_eval's definitions. In: one query's results ({@link rag.eval.metrics.ScoredDoc}, any
 * order) and its judgments (document id to relevance grade). Out: recall@k, MRR@10 and nDCG@10
 * ({@link rag.eval.metrics.Metric}). Results are first put in trec_eval's order ({@link rag.eval.metrics.TrecOrder}:
 * score descending, then document id descending), whatever order the retriever returned them in.
 */
package rag.eval.metrics;
