package rag.app.eval;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Settings of a retrieval-budget sweep, as posted to {@code POST /api/eval/budgets}. */
@Schema(name = "BudgetRequest", description = "Asks every question at every retrieval budget (retrieve mode, chunks in"
    + " document order) against a profile's model server, and scores each answer against the expected one: accuracy"
    + " and tokens per answer for each budget, to set the profile's retrieval budget where accuracy peaks.")
public record BudgetRequest(
    @Schema(required = true, description = "The collection to ask over (one the key can read).") String collection,
    @Schema(description = "A profile with a model server.", defaultValue = "the default profile") String profile,
    @Schema(description = "Retrieval budgets in tokens, 256 up to the profile's prompt window; at most 12.",
        defaultValue = "[4096, 8192, 16384, 32768, 65536]") List<Long> budgets,
    @Schema(required = true, description = "1 to 200 questions, each with the answer a correct reply contains.")
    List<QuestionView> questions,
    @Schema(description = "Share of the expected answer's content words a reply needs to count as correct, (0, 1].",
        defaultValue = "0.5") Double foundThreshold) {

  /** A question and the answer a correct reply contains. */
  @Schema(name = "BudgetQuestion")
  public record QuestionView(@Schema(required = true) String question, @Schema(required = true) String answer) {}
}
