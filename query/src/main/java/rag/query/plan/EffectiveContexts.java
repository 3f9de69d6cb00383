package rag.query.plan;

import java.util.Optional;
import rag.query.profile.ModelProfile;

/**
 * Effective contexts measured for the profiles' models (by end-to-end NIAH runs against their servers): the planner
 * applies one to a profile that has none set by hand.
 */
@FunctionalInterface
public interface EffectiveContexts {
  EffectiveContexts NONE = profile -> Optional.empty();

  /** A measured effective context, in tokens, and where it was measured, in words. */
  record Measured(long tokens, String source) {}

  /** The measurement for this profile's model on its server; empty when there is none (or it bounds nothing). */
  Optional<Measured> measured(ModelProfile profile);
}
