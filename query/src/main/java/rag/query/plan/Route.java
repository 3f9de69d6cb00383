package rag.query.plan;

import java.util.List;
import java.util.Locale;

/**
 * The steps a routed answer may take, in order: retrieval at growing budgets, then perhaps the whole scope. Each
 * step but a final stuffing asks the model to reply {@link #UNANSWERABLE} when the prompt lacks the answer, which
 * moves the answer to the next step.
 *
 * @param steps at least one; the first is retrieval
 */
public record Route(List<Step> steps) {
  /** What the model replies, alone, when the excerpts it was given do not hold the answer. */
  public static final String UNANSWERABLE = "UNANSWERABLE";

  /** A step: retrieval within {@code tokens}, or stuffing the scope in about {@code tokens}. */
  public record Step(Mode mode, long tokens) {
    public Step {
      if (mode != Mode.RETRIEVE && mode != Mode.STUFF) {
        throw new IllegalArgumentException("a route step retrieves or stuffs, not " + mode);
      }
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, mode == Mode.RETRIEVE ? "retrieve within %,d tokens"
          : "stuff the whole scope (%,d tokens)", tokens);
    }
  }

  public Route {
    steps = List.copyOf(steps);
    if (steps.isEmpty() || steps.get(0).mode() != Mode.RETRIEVE) {
      throw new IllegalArgumentException("a route starts with retrieval: " + steps);
    }
  }

  /** True when the model's reply starts with the marker (after leading space), whatever it adds after it. */
  public static boolean unanswerable(String reply) {
    return reply.stripLeading().startsWith(UNANSWERABLE);
  }

  /** Whether the step at {@code index} asks for the marker: all but a final stuffing, whose prompt stays plain. */
  public boolean asksForMarker(int index) {
    return index < steps.size() - 1 || steps.get(index).mode() == Mode.RETRIEVE;
  }
}
