package rag.query.plan;

import java.util.Locale;
import rag.storage.problem.InvalidInputException;

/** How a question is answered: the whole scope in the window, or the best chunks. */
public enum Mode {
  /** Stuff when the scope fits, otherwise retrieve. */
  AUTO,
  /** Every document of the scope in full. */
  STUFF,
  /** The best fused chunks up to the retrieval budget. */
  RETRIEVE,
  /**
   * Retrieval first; when the model replies that the excerpts lack the answer, a doubled budget, up to the effective
   * context, then the whole scope if it fits the window (Self-Route).
   */
  ROUTE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Mode parse(String s) {
    if (s == null || s.isBlank()) {
      return AUTO;
    }
    try {
      return valueOf(s.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("illegal mode '" + s + "', must be auto, stuff, retrieve or route");
    }
  }
}
