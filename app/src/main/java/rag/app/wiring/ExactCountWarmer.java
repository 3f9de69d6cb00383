package rag.app.wiring;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import rag.app.config.RagConfig;
import rag.query.plan.ExactTokenCounts;
import rag.storage.Archive;

/**
 * Counts newly published versions in the profiles' exact tokenizers in the background (one thread, at start and
 * then every {@code rag.planner.exact-counts-interval}), and drops the counts of versions that are gone.
 */
@ApplicationScoped
public class ExactCountWarmer {
  private static final Logger LOG = Logger.getLogger(ExactCountWarmer.class);

  private ScheduledExecutorService executor;

  void start(@Observes StartupEvent event, RagConfig config, ExactTokenCounts counts, Archive archive) {
    if (counts.all().isEmpty()) {
      return;
    }
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "exact-token-counts");
      t.setDaemon(true);
      return t;
    });
    long every = config.planner().exactCountsInterval().toMillis();
    executor.scheduleWithFixedDelay(() -> warm(counts, archive), 1000, every, TimeUnit.MILLISECONDS);
  }

  private static void warm(ExactTokenCounts counts, Archive archive) {
    try {
      long started = System.nanoTime();
      int counted = counts.warm(archive.reader());
      if (counted > 0) {
        LOG.infof("counted %d document versions in the exact tokenizers in %d ms", counted,
            (System.nanoTime() - started) / 1_000_000);
      }
    } catch (RuntimeException e) { // the next round tries again; plans count what is missing themselves
      LOG.warnf("could not count document versions in the exact tokenizers: %s", e.getMessage());
    }
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    if (executor != null) {
      executor.shutdownNow();
      executor.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
