package rag.app;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import rag.query.rerank.ScriptedRerankServer;

/** A scripted rerank server on a real socket, configured as {@code rag.rerank.*} (vLLM's shape, under /v1). */
public class ScriptedReranker implements QuarkusTestResourceLifecycleManager {
  static volatile ScriptedRerankServer server;

  @Override
  public Map<String, String> start() {
    server = ScriptedRerankServer.start();
    return Map.of("rag.rerank.base-url", server.baseUrl() + "/v1", "rag.rerank.model", "bge-reranker-v2-m3",
        "rag.rerank.timeout", "1s", "rag.rerank.top-n", "20");
  }

  @Override
  public void stop() {
    if (server != null) {
      server.close();
    }
  }
}
