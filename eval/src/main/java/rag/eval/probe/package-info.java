/**
 * Needle-in-a-haystack probes over the service's stack. In: {@link rag.eval.probe.ProbeParts} (the service's
 * embedder, chunker, token counter and planner settings) and a {@link rag.query.profile.ModelProfile}. Out:
 * {@link rag.eval.niah.NeedleProbe}s for {@link rag.eval.niah.NiahRun}: {@link rag.eval.probe.RetrieveProbe} (is each
 * needle inside the packed context, at what fused rank), {@link rag.eval.probe.StuffProbe} (does the prompt fit,
 * with the needle at its depth and every separator intact) and {@link rag.eval.probe.EndToEndProbe} (the model's
 * answer, scored against the needle).
 *
 * <p>Each probe holds the haystack in a scratch archive as documents, one per haystack segment
 * ({@link rag.eval.probe.HaystackIndex}): a context length is indexed once, reusing the segments a shorter
 * haystack already holds, and placing a needle rewrites only the documents it touches.
 */
package rag.eval.probe;
