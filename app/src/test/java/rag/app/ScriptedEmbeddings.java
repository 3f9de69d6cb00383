package rag.app;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import rag.storage.embed.ScriptedEmbeddingServer;

/** A scripted OpenAI-compatible /v1/embeddings server on a socket, configured as the embedding provider. */
public class ScriptedEmbeddings implements QuarkusTestResourceLifecycleManager {
  static volatile ScriptedEmbeddingServer server;

  @Override
  public Map<String, String> start() {
    server = ScriptedEmbeddingServer.start(64);
    return Map.of("rag.embedding.provider", "openai", "rag.embedding.openai.base-url", server.baseUrl(),
        "rag.embedding.openai.model", "scripted-embedder", "rag.embedding.openai.batch-size", "4");
  }

  @Override
  public void stop() {
    if (server != null) {
      server.close();
    }
  }
}
