/**
 * Evaluation runs in the service: {@code POST /api/eval/niah} and {@code POST /api/eval/retrieval} queue a run
 * ({@link rag.app.eval.EvalRuns}, one at a time), {@code GET /api/eval/runs[/{runId}[/report.html]]} follow it. In:
 * the posted settings ({@link rag.app.eval.NiahRequest}, {@link rag.app.eval.RetrievalRequest}), validated into plans
 * by {@link rag.app.eval.EvalRequests}, and the service's parts ({@link rag.app.eval.EvalParts}). Out: a folder per
 * run under {@code rag.eval.reports-dir} with {@code settings.json}, {@code state.json}, {@code result.json}
 * ({@link rag.app.eval.EvalViews}) and {@code report.html}.
 */
package rag.app.eval;
