package rag.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import rag.storage.problem.ProblemType;

/** An RFC 9457 problem detail, as every error of the API is answered; {@code plan} when a query's model failed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, Object plan) {

  public static Problem of(ProblemType type, String detail, String instance) {
    return new Problem(type.uri(), type.title(), type.status(), detail, instance, null);
  }

  public Problem withPlan(Object newPlan) {
    return new Problem(type, title, status, detail, instance, newPlan);
  }
}
