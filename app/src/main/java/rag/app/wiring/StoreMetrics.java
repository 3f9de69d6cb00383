package rag.app.wiring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.ToDoubleFunction;
import rag.storage.Archive;
import rag.storage.StoreUse;

/**
 * Publishes what the archive holds open at {@code /q/metrics}: {@code rag_catalog_connections} tagged {@code state}
 * (active, idle, pending: requests waiting for a connection), {@code rag_catalog_connections_max}, and
 * {@code rag_lucene_searchers} tagged {@code state} (open: readers held, the current one of each index and older
 * ones still in use; in_use: searches running). A leak shows as growth of the idle-plus-active connections or of the
 * open searchers.
 */
@ApplicationScoped
public class StoreMetrics {
  void register(@Observes StartupEvent event, MeterRegistry registry, Archive archive) {
    gauge(registry, archive, "rag.catalog.connections", "active", StoreUse::connectionsActive);
    gauge(registry, archive, "rag.catalog.connections", "idle", StoreUse::connectionsIdle);
    gauge(registry, archive, "rag.catalog.connections", "pending", StoreUse::connectionsPending);
    Gauge.builder("rag.catalog.connections.max", archive, a -> a.storeUse().connectionsMax()).register(registry);
    gauge(registry, archive, "rag.lucene.searchers", "open", StoreUse::searchersOpen);
    gauge(registry, archive, "rag.lucene.searchers", "in_use", StoreUse::searchersInUse);
  }

  private static void gauge(MeterRegistry registry, Archive archive, String name, String state,
      ToDoubleFunction<StoreUse> value) {
    Gauge.builder(name, archive, a -> value.applyAsDouble(a.storeUse())).tag("state", state).register(registry);
  }
}
