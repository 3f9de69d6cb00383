package rag.app.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import rag.storage.Archive;

/** Ready when the catalog answers a round trip and both indexes are open. */
@Readiness
@ApplicationScoped
public class StoresReadinessCheck implements HealthCheck {
  @Inject
  Archive archive;

  @Override
  public HealthCheckResponse call() {
    boolean catalog = archive.catalog().isHealthy();
    boolean indexes = archive.isHealthy();
    return HealthCheckResponse.named("stores").status(catalog && indexes)
        .withData("catalog", catalog).withData("indexes", indexes)
        .withData("vectors", archive.vectors().toString()).build();
  }
}
