/**
 * Evaluation of the archive's retrieval and answering: needle-in-a-haystack grids ({@code niah}), BEIR-layout
 * datasets and retrieval runs ({@code beir}), trec_eval-style ranking metrics ({@code metrics}) and self-contained
 * HTML reports ({@code report}). In: text folders, BEIR folders, and implementations of {@code NeedleProbe} and
 * {@code RankedRetriever} supplied by the caller. Out: result records that serialize with Jackson, and HTML.
 */
package rag.eval;
