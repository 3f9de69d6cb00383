package rag.query.plan;

import java.util.OptionalLong;
import rag.query.profile.ModelProfile;

/**
 * The context window a profile's server really serves, when it can tell: a prompt planned for a larger configured
 * window would be refused. Empty when the server does not say.
 */
public interface ServedWindows {
  ServedWindows NONE = profile -> OptionalLong.empty();

  OptionalLong window(ModelProfile profile);
}
