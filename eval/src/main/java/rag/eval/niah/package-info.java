/**
 * Needle in a haystack. In: source texts (a folder of {@code .txt} files or the shipped default,
 * {@link rag.eval.niah.HaystackSources}), a {@link rag.storage.embed.TokenCounter}, a {@link rag.eval.niah.NiahGrid}
 * of context lengths and depths, a {@link rag.eval.niah.NeedleSet} (single, multi, or RULER-style multi-key) and a
 * {@link rag.eval.niah.NeedleProbe} for the mode under test. Out: a {@link rag.eval.niah.NiahResult} with one
 * {@link rag.eval.niah.NiahCell} per grid pair and a summary.
 *
 * <p>A {@link rag.eval.niah.Haystack} is a list of segments with token offsets, built once per context length by
 * {@link rag.eval.niah.HaystackBuilder}; {@link rag.eval.niah.NeedlePlacer} turns a depth into a segment and
 * character offset at a sentence boundary, and a {@link rag.eval.niah.PlacedHaystack} carries new text only for the
 * segments that received a needle.
 */
package rag.eval.niah;
