package rag.app.eval;

import rag.query.profile.ModelProfile;

/** A validated drafting run; {@code settings} is the request with its defaults. */
public record DraftPlan(DraftRequest settings, String collection, String name, ModelProfile profile, int questions,
    long seed) implements EvalPlan {
  @Override
  public String kind() {
    return "draft";
  }
}
