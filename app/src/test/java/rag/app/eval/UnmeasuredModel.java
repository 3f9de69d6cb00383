package rag.app.eval;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import rag.query.generate.ScriptedModelServer;

/** A scripted model server configured as the profile {@code unmeasured}: no effective context set by hand. */
public class UnmeasuredModel implements QuarkusTestResourceLifecycleManager {
  static volatile ScriptedModelServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = ScriptedModelServer.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of("rag.models.unmeasured.base-url", server.baseUrl(),
        "rag.models.unmeasured.model", ScriptedModelServer.MODEL,
        "rag.models.unmeasured.context-window", "32768",
        "rag.models.unmeasured.answer-reserve", "1024",
        "rag.models.unmeasured.retrieval-budget", "4096",
        "rag.models.unmeasured.timeout", "10s");
  }

  @Override
  public void stop() {
    if (server != null) {
      server.close();
    }
  }
}
