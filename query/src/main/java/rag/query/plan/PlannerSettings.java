package rag.query.plan;

/**
 * @param safetyMargin fraction added to token estimates made from stored counts (tokenizers differ
 *     between the stored counts and the model's, and markers are estimated)
 * @param candidates chunks asked from each retriever before fusion
 * @param defaultTopK most chunks packed in retrieve mode when the request does not say
 */
public record PlannerSettings(double safetyMargin, int candidates, int defaultTopK) {
  public static final PlannerSettings DEFAULT = new PlannerSettings(0.10, 100, 40);

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
  }
}
