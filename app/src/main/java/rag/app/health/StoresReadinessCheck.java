package rag.app.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import rag.app.wiring.StorageWiring;
import rag.storage.Archive;

/**
 * Ready when the catalog answers a round trip and both indexes are open. Collections whose vectors come from another
 * embedding model are named ({@code needsReindex}) but do not make the service unready: they answer from BM25.
 */
@Readiness
@ApplicationScoped
public class StoresReadinessCheck implements HealthCheck {
  @Inject
  Archive archive;

  @Override
  public HealthCheckResponse call() {
    Archive.Health health = archive.health();
    boolean catalog = health.catalog();
    HealthCheckResponseBuilder response = HealthCheckResponse.named("stores").status(catalog && health.indexes())
        .withData("catalog", catalog).withData("indexes", health.indexes())
        .withData("vectors", health.vectorStore())
        .withData("embeddingModel", archive.currentGeneration().describe());
    if (catalog) {
      List<String> stale = StorageWiring.needingReindex(archive);
      if (!stale.isEmpty()) {
        response.withData("needsReindex", String.join(", ", stale));
      }
    }
    return response.build();
  }
}
