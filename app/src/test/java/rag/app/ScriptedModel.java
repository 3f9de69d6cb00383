package rag.app;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import rag.query.generate.ScriptedModelServer;

/** A scripted OpenAI-compatible model server on a real socket, configured as the profile {@code scripted}. */
public class ScriptedModel implements QuarkusTestResourceLifecycleManager {
  static volatile ScriptedModelServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = ScriptedModelServer.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of("rag.models.scripted.base-url", server.baseUrl(),
        "rag.models.scripted.model", ScriptedModelServer.MODEL,
        "rag.models.scripted.context-window", "32768",
        "rag.models.scripted.answer-reserve", "1024",
        "rag.models.scripted.retrieval-budget", "4096",
        "rag.models.scripted.timeout", "3s",
        "rag.models.scripted.stall-timeout", "1s",
        "rag.models.scripted.prefill-tokens-per-second", "2000",
        "rag.models.scripted.max-prefill-seconds", "120",
        "rag.models.scripted.effective-context", "30000");
  }

  @Override
  public void stop() {
    if (server != null) {
      server.close();
    }
  }
}
