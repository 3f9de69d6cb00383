package rag.query;

import java.util.List;
import rag.query.cite.Citation;
import rag.query.generate.Generation;
import rag.query.plan.Plan;

/**
 * An answer with its citations and the plan behind it. {@code kind} is {@code generated} (a model
 * wrote it; {@code generation} has its timings) or {@code extractive} (no model configured).
 * {@code route}: the steps a routed answer took, the last one answering (empty when not routed); {@code plan} is then
 * the last step's.
 */
public record Answer(String text, Kind kind, Plan plan, List<Citation> citations, Generation generation,
    List<RoutedStep> route) {
  public enum Kind { GENERATED, EXTRACTIVE }

  public Answer(String text, Kind kind, Plan plan, List<Citation> citations, Generation generation) {
    this(text, kind, plan, citations, generation, List.of());
  }

  public Answer {
    citations = List.copyOf(citations);
    route = List.copyOf(route);
  }

  /**
   * The model tokens this answer cost in all, prompts and answers of every step (the server's counts where it gave
   * them, else the plan's prompt estimate); 0 for an extractive answer.
   */
  public long tokensSpent() {
    if (!route.isEmpty()) {
      return route.stream().mapToLong(RoutedStep::tokensSpent).sum();
    }
    return generation == null ? 0 : cost(plan, generation);
  }

  static long cost(Plan plan, Generation g) {
    return (g.promptTokens() != null ? g.promptTokens() : plan.promptTokens())
        + (g.completionTokens() != null ? g.completionTokens() : 0);
  }
}
