package rag.app.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import rag.query.plan.EffectiveContexts;
import rag.query.profile.ModelProfile;
import rag.storage.Archive;

/**
 * The effective context each profile's model was last measured at, by end-to-end NIAH runs against its server, read
 * from the evaluation runs in the catalog (so every instance sees every instance's runs): the latest succeeded run per
 * profile and model wins. Read again when a run succeeds here, and, for runs of other instances, in the background
 * when a plan finds the last read older than {@value #REFRESH_SECONDS} s (never on the planning thread but the first
 * time).
 */
@ApplicationScoped
public class MeasuredEffectiveContexts implements EffectiveContexts {
  static final long REFRESH_SECONDS = 30;
  private static final Logger LOG = Logger.getLogger(MeasuredEffectiveContexts.class);

  /** A profile's measurement: the effective length of an end-to-end NIAH run, and which run. */
  public record Measurement(String profile, String model, long tokens, boolean atLeast, Integer firstFailing,
      double baseScore, String runId, String variant, Instant measuredAt) {
    String source() {
      return String.format(Locale.ROOT, "measured by end-to-end NIAH run %s (%s needles)", runId, variant);
    }
  }

  @Inject
  Archive archive;

  @Inject
  ObjectMapper json;

  private static final Executor REREADER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "effective-contexts");
    t.setDaemon(true);
    return t;
  });

  private final AtomicBoolean rereading = new AtomicBoolean();
  private volatile Map<String, Measurement> latest;
  private volatile long readAt;

  /** Bounds planning only when some length failed: a grid every length of which passed bounds nothing. */
  @Override
  public Optional<Measured> measured(ModelProfile profile) {
    return measurement(profile).filter(m -> !m.atLeast()).map(m -> new Measured(m.tokens(), m.source()));
  }

  /** The latest measurement of the profile's model on its server, whether it bounds planning or not. */
  public Optional<Measurement> measurement(ModelProfile profile) {
    if (!profile.hasModel()) {
      return Optional.empty();
    }
    Map<String, Measurement> current = latest;
    if (current == null) {
      current = read(); // once: nothing to answer with before the first read
    } else if (System.nanoTime() - readAt > REFRESH_SECONDS * 1_000_000_000L && rereading.compareAndSet(false, true)) {
      // other instances' runs are read again off the planning thread; this plan uses what was read last
      CompletableFuture.runAsync(() -> {
        try {
          read();
        } finally {
          rereading.set(false);
        }
      }, REREADER);
    }
    return Optional.ofNullable(current.get(key(profile.name(), profile.model())));
  }

  /** Reads the runs again (a run has just succeeded). */
  public void refresh() {
    read();
  }

  private static String key(String profile, String model) {
    return profile + '\u0000' + model;
  }

  private synchronized Map<String, Measurement> read() {
    Map<String, Measurement> found = new HashMap<>();
    for (String stateJson : archive.evalRuns().statesIn("succeeded")) {
      try {
        JsonNode state = json.readTree(stateJson);
        if (!"niah".equals(state.path("kind").asText())) {
          continue;
        }
        String runId = state.path("runId").asText();
        Optional<String> resultJson = archive.evalRuns().result(runId);
        if (resultJson.isEmpty()) {
          continue;
        }
        JsonNode result = json.readTree(resultJson.get());
        JsonNode length = result.path("effectiveLength");
        JsonNode profile = result.path("profile");
        if (!"end-to-end".equals(result.path("mode").asText()) || length.isMissingNode() || length.isNull()
            || profile.path("model").isNull() || profile.path("model").isMissingNode()) {
          continue;
        }
        Instant at = Instant.parse(state.path("finishedAt").asText());
        Measurement m = new Measurement(profile.path("name").asText(), profile.path("model").asText(),
            length.path("tokens").asLong(), length.path("atLeast").asBoolean(),
            length.path("firstFailing").isNumber() ? length.path("firstFailing").asInt() : null,
            length.path("baseScore").asDouble(), runId, result.path("variant").asText(), at);
        found.merge(key(m.profile(), m.model()), m, (a, b) -> a.measuredAt().isAfter(b.measuredAt()) ? a : b);
      } catch (IOException | RuntimeException e) {
        LOG.warnf("an evaluation run's result could not be read for effective contexts: %s", e.toString());
      }
    }
    latest = Map.copyOf(found);
    readAt = System.nanoTime();
    return latest;
  }
}
