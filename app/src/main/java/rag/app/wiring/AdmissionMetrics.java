package rag.app.wiring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import rag.app.eval.EvalRuns;
import rag.query.admission.Bulkhead;

/**
 * Publishes every bound at {@code /q/metrics}, tagged {@code bound}: {@code rag_admission_capacity},
 * {@code rag_admission_in_use} and {@code rag_admission_waiting} (gauges), {@code rag_admission_admitted_total} and
 * {@code rag_admission_shed_total} (counters). The evaluation queue is the bound {@code eval-runs}.
 */
@ApplicationScoped
public class AdmissionMetrics {
  static final String PREFIX = "rag.admission.";

  void register(@Observes StartupEvent event, MeterRegistry registry, AdmissionBounds bounds, EvalRuns evals) {
    for (Bulkhead b : bounds.all()) {
      Gauge.builder(PREFIX + "capacity", b, x -> x.capacity()).tag("bound", b.name()).register(registry);
      Gauge.builder(PREFIX + "in_use", b, x -> x.inUse()).tag("bound", b.name()).register(registry);
      Gauge.builder(PREFIX + "waiting", b, x -> x.waiting()).tag("bound", b.name()).register(registry);
      FunctionCounter.builder(PREFIX + "admitted", b, x -> x.admitted()).tag("bound", b.name()).register(registry);
      FunctionCounter.builder(PREFIX + "shed", b, x -> x.shed()).tag("bound", b.name()).register(registry);
    }
    Gauge.builder(PREFIX + "in_use", evals, x -> x.runningRuns()).tag("bound", "eval-runs").register(registry);
    Gauge.builder(PREFIX + "waiting", evals, x -> x.queuedRuns()).tag("bound", "eval-runs").register(registry);
    FunctionCounter.builder(PREFIX + "shed", evals, x -> x.refusedRuns()).tag("bound", "eval-runs")
        .register(registry);
  }
}
