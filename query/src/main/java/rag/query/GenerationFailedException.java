package rag.query;

import rag.query.generate.ModelException;
import rag.query.plan.Plan;

/** The model server failed; carries the plan so that the caller can still show it. */
public final class GenerationFailedException extends RuntimeException {
  private final Plan plan;

  public GenerationFailedException(Plan plan, ModelException cause) {
    super(cause.getMessage(), cause);
    this.plan = plan;
  }

  public Plan plan() {
    return plan;
  }

  public ModelException modelFailure() {
    return (ModelException) getCause();
  }
}
