package rag.query;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
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
  private static final long RETRY_NANOS = 600_000_000_000L;

  private record Entry(OptionalLong window, long at) {}

  private final ServedWindowClient client;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  public ServerWindows(ServedWindowClient client) {
    this.client = client;
  }

  @Override
  public OptionalLong window(ModelProfile profile) {
    if (!profile.hasModel()) {
      return OptionalLong.empty();
    }
    Entry e = cache.get(profile.name());
    if (e != null && (e.window().isPresent() || System.nanoTime() - e.at() < RETRY_NANOS)) {
      return e.window();
    }
    OptionalLong window = client.servedWindow(QueryPipeline.endpoint(profile));
    if (window.isPresent() && window.getAsLong() < profile.contextWindow()) {
      LOG.warnf("profile %s: the server serves %s with a %,d-token window, below the configured %,d"
          + " (rag.models.%s.context-window); plans use the server's", profile.name(), profile.model(),
          window.getAsLong(), profile.contextWindow(), profile.name());
    }
    cache.put(profile.name(), new Entry(window, System.nanoTime()));
    return window;
  }
}
