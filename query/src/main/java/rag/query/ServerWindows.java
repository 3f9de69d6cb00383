package rag.query;

import java.util.OptionalLong;
import org.jboss.logging.Logger;
import rag.query.generate.ServedWindowClient;
import rag.query.plan.ServedWindows;
import rag.query.profile.ModelProfile;

/**
 * The window each profile's server serves, asked once per profile ({@link ServedWindowClient}); a server that does
 * not say, or is down, is asked again at most every ten minutes. A served window below the configured one is
 * logged once as a warning: the configuration promises more than the server takes.
 */
public final class ServerWindows implements ServedWindows {
  private static final Logger LOG = Logger.getLogger(ServerWindows.class);

  private final ServedWindowClient client;
  private final ServerAnswers<OptionalLong> windows = new ServerAnswers<>(this::ask, OptionalLong::isPresent);

  public ServerWindows(ServedWindowClient client) {
    this.client = client;
  }

  @Override
  public OptionalLong window(ModelProfile profile) {
    if (!profile.hasModel()) {
      return OptionalLong.empty();
    }
    return windows.get(profile);
  }

  private OptionalLong ask(ModelProfile profile) {
    OptionalLong window = client.servedWindow(QueryPipeline.endpoint(profile));
    if (window.isPresent() && window.getAsLong() < profile.contextWindow()) {
      LOG.warnf("profile %s: the server serves %s with a %,d-token window, below the configured %,d"
          + " (rag.models.%s.context-window); plans use the server's", profile.name(), profile.model(),
          window.getAsLong(), profile.contextWindow(), profile.name());
    }
    return window;
  }
}
