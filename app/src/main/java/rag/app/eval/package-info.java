/**
 * Evaluation runs in the service: {@code POST /api/eval/niah} and {@code POST /api/eval/retrieval} queue a run
 * ({@link rag.app.eval.EvalRuns}, one at a time), {@code GET /api/eval/runs[/{runId}[/report.html]]} follow it. In:
 * the posted settings ({@link rag.app.eval.NiahRequest}, {@link rag.app.eval.RetrievalRequest}), validated into plans
 * by {@link rag.app.eval.EvalRequests}, and the service's parts ({@link rag.app.eval.EvalParts}). Out: the run's
 * settings, state and result in the catalog ({@link rag.app.eval.RunRecords}, shapes in
 * {@link rag.app.eval.EvalViews}), and a folder per run under {@code rag.eval.reports-dir} with {@code report.html}
 * and a copy of {@code result.json}.
 */
package rag.app.eval;
