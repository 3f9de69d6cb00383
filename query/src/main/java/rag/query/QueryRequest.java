package rag.query;

import java.util.Objects;
import rag.query.plan.Mode;
import rag.storage.model.SearchFilter;
import rag.storage.problem.InvalidInputException;

/**
 * A question over a scope, with the profile and mode to use (null: defaults); {@code stuffLimit}: the most prompt
 * tokens this caller may have stuffed (null: no limit of its own); {@code retrievalBudget}: the retrieval budget in
 * place of the profile's (null: the profile's; evaluations sweep it).
 */
public record QueryRequest(String question, SearchFilter scope, String profile, Mode mode, Integer topK,
    Long stuffLimit, Long retrievalBudget) {
  public QueryRequest(String question, SearchFilter scope, String profile, Mode mode, Integer topK) {
    this(question, scope, profile, mode, topK, null, null);
  }

  public QueryRequest(String question, SearchFilter scope, String profile, Mode mode, Integer topK,
      Long stuffLimit) {
    this(question, scope, profile, mode, topK, stuffLimit, null);
  }

  public QueryRequest {
    Objects.requireNonNull(question, "question");
    if (question.isBlank()) {
      throw new InvalidInputException("the question is empty");
    }
    if (question.length() > 20_000) {
      throw new InvalidInputException("the question has " + question.length() + " characters, at most 20000");
    }
    if (retrievalBudget != null && retrievalBudget < 256) {
      throw new InvalidInputException("illegal retrieval budget " + retrievalBudget + ", must be at least 256");
    }
  }
}
