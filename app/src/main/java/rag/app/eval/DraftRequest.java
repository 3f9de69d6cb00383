package rag.app.eval;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Settings of a question-drafting run, as posted to {@code POST /api/eval/draft}. */
@Schema(name = "DraftRequest", description = "Draft a question set from a collection with a profile's model: sampled"
    + " chunks, one question and answer each, every question marked drafted for a person to check and edit.")
public record DraftRequest(
    @Schema(required = true, description = "The collection (one the key can write: the set is stored with it).")
    String collection,
    @Schema(required = true, description = "The new set's name (letters, digits, . _ -; at most 64); a set of that"
        + " name must not exist yet.") String name,
    @Schema(description = "The profile whose model drafts; it needs a model server.", defaultValue = "the default")
    String profile,
    @Schema(description = "How many questions, 1..200.", defaultValue = "20") Integer questions,
    @Schema(description = "Seed of the chunk sample (the same seed samples the same chunks).", defaultValue = "1")
    Long seed) {}
