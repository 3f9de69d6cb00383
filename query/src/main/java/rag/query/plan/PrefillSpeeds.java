package rag.query.plan;

import java.util.OptionalDouble;
import rag.query.profile.ModelProfile;

/** Prefill speeds measured for the profiles' models: the planner uses one for a profile with none set by hand. */
@FunctionalInterface
public interface PrefillSpeeds {
  PrefillSpeeds NONE = profile -> OptionalDouble.empty();

  /** Prompt tokens per second the profile's server was measured to prefill; empty before any measurement. */
  OptionalDouble measured(ModelProfile profile);
}
