package rag.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem detail, as every error of the API is answered. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String file,
    String jobId, Object plan) {

  public static Problem of(ProblemType type, String detail, String instance) {
    return new Problem(type.uri(), type.title(), type.status(), detail, instance, null, null, null);
  }

  public Problem withPlan(Object newPlan) {
    return new Problem(type, title, status, detail, instance, file, jobId, newPlan);
  }
}
