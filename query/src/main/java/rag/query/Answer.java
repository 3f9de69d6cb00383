package rag.query;

import java.util.List;
import rag.query.cite.Citation;
import rag.query.generate.Generation;
import rag.query.plan.Plan;

/**
 * An answer with its citations and the plan behind it. {@code kind} is {@code generated} (a model
 * wrote it; {@code generation} has its timings) or {@code extractive} (no model configured).
 */
public record Answer(String text, Kind kind, Plan plan, List<Citation> citations, Generation generation) {
  public enum Kind { GENERATED, EXTRACTIVE }

  public Answer {
    citations = List.copyOf(citations);
  }
}
