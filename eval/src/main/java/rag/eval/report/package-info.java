/**
 * Reports. In: an {@link rag.eval.report.EvalReport} (title, settings, NIAH and retrieval results). Out: one
 * self-contained HTML page from {@link rag.eval.report.ReportRenderer}: inline CSS, no scripts, no external
 * resources, every text escaped; the NIAH heatmap is a table whose cells carry {@code data-length},
 * {@code data-depth} and {@code data-score}. The JSON form of a report is the result records themselves, which
 * serialize with Jackson.
 */
package rag.eval.report;
