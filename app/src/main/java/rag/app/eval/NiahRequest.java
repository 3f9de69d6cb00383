package rag.app.eval;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Settings of a needle-in-a-haystack run, as posted to {@code POST /api/eval/niah}; every field is optional. */
@Schema(name = "NiahRequest", description = "Settings of a needle-in-a-haystack run. Every field is optional: an empty"
    + " object runs the default grid over the shipped public-domain haystack with the default needle.")
public record NiahRequest(
    @Schema(description = "A server folder of .txt files (under rag.ingest.allowed-roots, else 403), read in file-name"
        + " order and repeated until the haystack reaches each length. Not together with collection; neither: the"
        + " shipped haystack (Moby-Dick, chapters 1-20).", examples = "/srv/corpora/pg-essays")
    String haystackPath,
    @Schema(description = "A collection whose documents (their chunk texts, in source-path order) make the haystack.")
    String collection,
    @Schema(description = "Model profile; default: the default profile.", examples = "qwen3")
    String profile,
    @Schema(description = "retrieve: is each needle inside the context the planner packs, at what fused rank;"
        + " stuff: does the whole haystack fit the prompt with the needle at its depth and every separator intact;"
        + " end-to-end: the profile's model answers the question (the profile needs a base URL).",
        enumeration = {"retrieve", "stuff", "end-to-end"}, defaultValue = "retrieve")
    String mode,
    @Schema(description = "Context lengths in tokens (cl100k), each 1000..rag.eval.max-context-length. Default: 8"
        + " lengths log-spaced from 1,000 to 128,000. Run in ascending order.", examples = "[1000, 8000, 64000]")
    List<Integer> contextLengths,
    @Schema(description = "Needle depths in percent, 0 (start) to 100 (end). Default: 0, 25, 50, 75, 100.",
        examples = "[0, 50, 100]")
    List<Double> depthPercents,
    @Schema(description = "Needle sentences (single: one; multi: one or more). Default: the original harness's"
        + " needle (single) or three pizza ingredients (multi). Not for multi-key, whose needles are generated.")
    List<String> needles,
    @Schema(description = "For each needle, the part an answer must contain (end-to-end scoring); default: the whole"
        + " needle.")
    List<String> answers,
    @Schema(description = "The question asked; required with needles. Default: the original harness's question.")
    String question,
    @Schema(description = "single: one needle; multi: several to find together, spread from the depth to the end;"
        + " multi-key: one 'special magic number' among distractors of the same form (RULER).",
        enumeration = {"single", "multi", "multi-key"}, defaultValue = "single")
    String variant,
    @Schema(description = "multi-key only: how many distractor needles, 0..100.", defaultValue = "3")
    Integer distractors,
    @Schema(description = "multi-key only: seed of the generated keys and numbers.", defaultValue = "42")
    Long seed,
    @Schema(description = "end-to-end only: the partial score (share of the answer's content words) at or above"
        + " which a needle counts as found, in (0, 1].", defaultValue = "0.5")
    Double foundThreshold,
    @Schema(description = "end-to-end only: a profile with a model server that grades each answer against the"
        + " expected answer from 1 to 10 (the grade / 10 is the cell's score; found at foundThreshold or on an exact"
        + " match). Default: none, answers are scored by word matching.", examples = "qwen3")
    String judgeProfile) {

  public static NiahRequest defaults() {
    return new NiahRequest(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }
}
