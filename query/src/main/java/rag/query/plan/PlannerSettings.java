package rag.query.plan;

/**
 * @param safetyMargin fraction added to token estimates made from stored counts (tokenizers differ
 *     between the stored counts and the model's, and markers are estimated)
 * @param candidates chunks asked from each retriever before fusion
 * @param defaultTopK most chunks packed in retrieve mode when the request does not say
 * @param selfRoute whether {@code auto} routes (retrieval first, escalating when the model finds no answer) for a
 *     profile with a model server, unless the whole scope fits the retrieval budget
 * @param mmrLambda retrieve mode: candidates are packed in maximal-marginal-relevance order with this lambda
 *     ({@link rag.query.retrieve.Mmr}); 1 packs them in ranked order
 */
public record PlannerSettings(double safetyMargin, int candidates, int defaultTopK, boolean selfRoute,
    double mmrLambda) {
  public static final PlannerSettings DEFAULT = new PlannerSettings(0.10, 100, 40, true);

  public PlannerSettings(double safetyMargin, int candidates, int defaultTopK) {
    this(safetyMargin, candidates, defaultTopK, true);
  }

  public PlannerSettings(double safetyMargin, int candidates, int defaultTopK, boolean selfRoute) {
    this(safetyMargin, candidates, defaultTopK, selfRoute, 1);
  }

  /** These settings with {@code auto} routing or not. */
  public PlannerSettings withSelfRoute(boolean route) {
    return new PlannerSettings(safetyMargin, candidates, defaultTopK, route, mmrLambda);
  }

  /** These settings packing in MMR order with this lambda (1: ranked order). */
  public PlannerSettings withMmrLambda(double lambda) {
    return new PlannerSettings(safetyMargin, candidates, defaultTopK, selfRoute, lambda);
  }

  public PlannerSettings {
    if (safetyMargin < 0 || safetyMargin > 1) {
      throw new IllegalArgumentException("illegal safety margin " + safetyMargin + ", must be in 0..1");
    }
    if (candidates < 1 || candidates > 10_000) {
      throw new IllegalArgumentException("illegal candidates " + candidates + ", must be in 1..10000");
    }
    if (defaultTopK < 1 || defaultTopK > 1000) {
      throw new IllegalArgumentException("illegal default topK " + defaultTopK + ", must be in 1..1000");
    }
    new rag.query.retrieve.Mmr(mmrLambda); // checks it
  }
}
