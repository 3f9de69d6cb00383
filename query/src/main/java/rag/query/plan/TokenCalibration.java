package rag.query.plan;

import java.util.OptionalDouble;
import rag.query.profile.ModelProfile;

/**
 * How many of the profile's model tokens one stored (cl100k) token is, when the model's server can
 * tell ({@code /tokenize}); empty when it cannot, and the planner then adds its safety margin.
 */
public interface TokenCalibration {
  TokenCalibration NONE = profile -> OptionalDouble.empty();

  OptionalDouble ratio(ModelProfile profile);
}
