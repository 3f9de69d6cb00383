package rag.app.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Settings of a retrieval-accuracy run over a collection, as posted to {@code POST /api/eval/qa}. */
@Schema(name = "QaRequest", description = "Retrieval accuracy over one of your collections: a question set kept with it"
    + " (or questions sent inline), each question's expected passages graded in each retriever's top k.")
public record QaRequest(
    @Schema(required = true, description = "The collection (one the key can read).") String collection,
    @Schema(description = "A question set stored with the collection (POST .../question-sets?name=); or send"
        + " questions.") String questionSet,
    @Schema(description = "Questions inline, each {id, question, expected: [{source, pages, timeMs, lines, text}],"
        + " answer}; or name a questionSet.") List<JsonNode> questions,
    @Schema(description = "bm25, dense, hybrid.", defaultValue = "[\"bm25\", \"dense\", \"hybrid\"]")
    List<String> retrievers,
    @Schema(description = "Chunks retrieved per question, 10..200.", defaultValue = "10") Integer k,
    @Schema(description = "The profile whose planner packs the prompts for budgets.", defaultValue = "the default")
    String profile,
    @Schema(description = "Retrieval budgets (tokens, 256 up to the profile's prompt window, at most 12) at which to"
        + " check whether the packed prompt holds an expected passage; none: not checked.") List<Long> budgets,
    @Schema(description = "Also ask each question of the profile's model (mode auto) and check its answer against the"
        + " expected one and its citations against the expected passages; needs a profile with a model server.",
        defaultValue = "false") Boolean endToEnd,
    @Schema(description = "With endToEnd: a profile whose model grades each answer against the expected one from 1 to"
        + " 10 (correct at 5 and above) instead of word matching.") String judgeProfile) {}
