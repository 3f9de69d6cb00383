package rag.app.health;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;
import rag.app.eval.EvalRuns;
import rag.ingest.IngestService;
import sun.misc.Signal;

/**
 * Graceful shutdown. On SIGTERM new API requests get 503 problem+json with {@code Retry-After} and readiness reports
 * DOWN, so a load balancer moves on; requests in progress (answers streaming included) finish for up to
 * {@code quarkus.shutdown.timeout}; then ingest stops at a file boundary (the files still waiting are left to the
 * next start), the evaluation worker stops, and only then does the process exit. The order matters: ONNX Runtime
 * releases its native environment in a JVM shutdown hook, so an embedding still running when the hooks start would
 * crash the JVM; the packaged service therefore handles SIGTERM itself and exits once nothing embeds.
 */
@Readiness
@ApplicationScoped
public class Draining implements HealthCheck {
  private static final Logger LOG = Logger.getLogger(Draining.class);
  private static final String BODY = "{\"type\":\"/problems/stopping\",\"title\":\"Service stopping\",\"status\":503,"
      + "\"detail\":\"this instance is shutting down; requests in progress finish, new ones go to another instance"
      + " or retry after the Retry-After delay\"}";
  private static volatile boolean stopping;
  private final AtomicInteger inProgress = new AtomicInteger();

  @Inject
  Instance<IngestService> ingest;

  @Inject
  Instance<EvalRuns> evals;

  @ConfigProperty(name = "quarkus.shutdown.timeout")
  Optional<Duration> drainTimeout;

  void start(@Observes StartupEvent event) {
    if (LaunchMode.current() == LaunchMode.NORMAL) {
      Signal.handle(new Signal("TERM"), signal -> {
        Thread stop = new Thread(this::drainAndExit, "graceful-stop");
        stop.setDaemon(true);
        stop.start();
      });
    }
    // any other way out (SIGINT, System.exit): at least refuse new requests while Quarkus finishes the running ones
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping = true, "draining"));
  }

  void install(@Observes Router router) {
    router.route().order(-1100).handler(context -> {
      String path = context.request().path();
      if (!path.startsWith("/api/") && !path.startsWith("/v1/")) {
        context.next();
      } else if (stopping) {
        context.response().setStatusCode(503).putHeader("Content-Type", "application/problem+json")
            .putHeader("Retry-After", "5").putHeader("Connection", "close").end(BODY);
      } else {
        inProgress.incrementAndGet();
        context.addEndHandler(ended -> inProgress.decrementAndGet());
        context.next();
      }
    });
  }

  private void drainAndExit() {
    stopping = true;
    long start = System.nanoTime();
    long limit = drainTimeout.orElse(Duration.ofSeconds(30)).toNanos();
    LOG.infof("SIGTERM: new API requests get 503; waiting for %d in progress", inProgress.get());
    try {
      while (inProgress.get() > 0 && System.nanoTime() - start < limit) {
        Thread.sleep(50);
      }
      if (inProgress.get() > 0) {
        LOG.warnf("%d API requests still in progress after %s; stopping anyway", inProgress.get(),
            Duration.ofNanos(limit));
      }
      ingest.get().close(); // the file in hand finishes; waiting files stay queued for the next start
      evals.get().stopWorker();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("stopping ingest and evaluations before exit failed; exiting anyway", e);
    }
    LOG.infof("drained in %.1f s; exiting", (System.nanoTime() - start) / 1e9);
    Quarkus.asyncExit(0);
  }

  public static boolean stopping() {
    return stopping;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("accepting-requests").status(!stopping).build();
  }
}
