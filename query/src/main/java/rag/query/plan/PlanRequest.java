package rag.query.plan;

import java.util.Objects;
import rag.storage.model.SearchFilter;
import rag.storage.problem.InvalidInputException;

/**
 * A question over a scope of the archive. {@code topK} caps the chunks packed in retrieve mode
 * (null: the planner's default); {@code conversation} is the earlier turns as they will be in the
 * prompt (null or empty when there are none), counted in the budget; {@code stuffLimit} is the most prompt tokens the
 * caller may have stuffed (null: no limit beyond the model's): {@code auto} retrieves above it.
 * {@code retrievalBudget} replaces the profile's (null: the profile's), for a routed answer's escalations;
 * {@code unanswerableMarker}: the prompt asks the model to reply {@link Route#UNANSWERABLE} when it finds no answer.
 */
public record PlanRequest(String question, SearchFilter scope, Mode mode, Integer topK, String conversation,
    Long stuffLimit, Long retrievalBudget, boolean unanswerableMarker) {
  public PlanRequest(String question, SearchFilter scope, Mode mode, Integer topK) {
    this(question, scope, mode, topK, null, null);
  }

  public PlanRequest(String question, SearchFilter scope, Mode mode, Integer topK, String conversation) {
    this(question, scope, mode, topK, conversation, null);
  }

  public PlanRequest(String question, SearchFilter scope, Mode mode, Integer topK, String conversation,
      Long stuffLimit) {
    this(question, scope, mode, topK, conversation, stuffLimit, null, false);
  }

  /** This request for one step of a routed answer: that mode, budget (retrieve) and prompt. */
  public PlanRequest step(Mode stepMode, Long budget, boolean marker) {
    return new PlanRequest(question, scope, stepMode, topK, conversation, stuffLimit, budget, marker);
  }

  public PlanRequest {
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(scope, "scope");
    if (scope.collection() == null) {
      throw new IllegalArgumentException("a question's scope must name a collection");
    }
    mode = mode == null ? Mode.AUTO : mode;
    conversation = conversation == null ? "" : conversation;
    if (topK != null && (topK < 1 || topK > 1000)) {
      throw new InvalidInputException("illegal topK " + topK + ", must be in 1..1000");
    }
    if (retrievalBudget != null && retrievalBudget < 1) {
      throw new IllegalArgumentException("illegal retrieval budget " + retrievalBudget);
    }
  }
}
