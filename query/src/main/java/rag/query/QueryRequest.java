package rag.query;

import java.util.Objects;
import rag.query.plan.Mode;
import rag.storage.model.SearchFilter;
import rag.storage.problem.InvalidInputException;

/**
 * A question over a scope, with the profile and mode to use (null: defaults); {@code stuffLimit}: the most prompt
 * tokens this caller may have stuffed (null: no limit of its own).
 */
public record QueryRequest(String question, SearchFilter scope, String profile, Mode mode, Integer topK,
    Long stuffLimit) {
  public QueryRequest(String question, SearchFilter scope, String profile, Mode mode, Integer topK) {
    this(question, scope, profile, mode, topK, null);
  }

  public QueryRequest {
    Objects.requireNonNull(question, "question");
    if (question.isBlank()) {
      throw new InvalidInputException("the question is empty");
    }
    if (question.length() > 20_000) {
      throw new InvalidInputException("the question has " + question.length() + " characters, at most 20000");
    }
  }
}
