/**
 * Evaluation of the archive's retrieval and answering: needle-in-a-haystack grids ({@code niah}), BEIR-layout
 * datasets and retrieval runs ({@code beir}), trec_eval-style ranking metrics ({@code metrics}) and self-contained
 * HTML reports ({@code report}); the service's own stack rebuilt in scratch archives ({@code stack}) and the NIAH
 * probes over it ({@code probe}). In: text folders or collections, BEIR folders, the service's parts and model
 * profiles. Out: result records that serialize with Jackson, and HTML.
 */
package rag.eval;
