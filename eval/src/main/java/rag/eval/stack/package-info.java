/**
 * The service's own stack, rebuilt for an evaluation. In: the service's parts (embedder, chunker, token counter)
 * and texts or a BEIR corpus. Out: a {@link rag.eval.stack.ScratchArchive} (an embedded archive in a temporary
 * folder, deleted on close) that {@link rag.eval.stack.TextIndexer} fills as ingest would, and
 * {@link rag.eval.stack.ArchiveRetriever}, the BEIR {@link rag.eval.beir.RankedRetriever} for the service's BM25,
 * dense and hybrid retrieval (document score: its best chunk). {@link rag.eval.stack.MemoizingEmbedder} embeds each
 * distinct text once per run.
 */
package rag.eval.stack;
