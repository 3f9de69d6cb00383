package rag.app.wiring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.function.ToLongFunction;
import org.jboss.logging.Logger;
import rag.app.config.RagConfig;
import rag.storage.Archive;
import rag.storage.SearchOutboxIndexer;
import rag.storage.catalog.SearchOutbox;

/**
 * On the cluster backend, runs the search outbox's indexer in every instance (the catalog lets one at a time apply it)
 * and publishes its backlog at {@code /q/metrics}: {@code rag_search_outbox_entries} and
 * {@code rag_search_outbox_oldest_seconds}, which grow while the search cluster is away and fall back to 0 after.
 * One-off commands ({@code rebuild-search}, {@code keys}, {@code audit}) run none.
 */
@ApplicationScoped
public class SearchOutboxWiring {
  private static final Logger LOG = Logger.getLogger(SearchOutboxWiring.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private SearchOutboxIndexer indexer;

  void start(@Observes StartupEvent event, RagConfig config, Archive archive, MeterRegistry registry) {
    if (config.storage().backend() != RagConfig.Backend.CLUSTER
        || Boolean.getBoolean(IngestWiring.NO_CLAIMS_PROPERTY)) {
      return;
    }
    Gauge.builder("rag.search.outbox.entries", archive, a -> backlog(a, SearchOutbox.Backlog::entries))
        .register(registry);
    Gauge.builder("rag.search.outbox.oldest.seconds", archive,
        a -> backlog(a, b -> b.oldestMillis()) / 1000.0).register(registry);
    indexer = new SearchOutboxIndexer(archive, config.opensearch().outboxPoll(), MAX_BACKOFF);
    LOG.infof("search outbox: applied by this instance too, polled every %s", config.opensearch().outboxPoll());
  }

  /** A figure of the backlog; NaN while the database cannot be asked. */
  private static double backlog(Archive archive, ToLongFunction<SearchOutbox.Backlog> figure) {
    try {
      return figure.applyAsLong(archive.searchOutboxBacklog());
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    if (indexer != null) {
      indexer.close();
      indexer = null;
    }
  }
}
