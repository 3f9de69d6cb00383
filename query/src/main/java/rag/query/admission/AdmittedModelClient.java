package rag.query.admission;

import java.util.List;
import java.util.Map;
import rag.query.generate.Generation;
import rag.query.generate.ModelClient;
import rag.query.generate.ModelEndpoint;
import rag.query.generate.PromptMessage;
import rag.query.generate.TokenSink;

/**
 * Holds a place in the bulkhead of the model server it asks for as long as the answer runs (the stream included), so
 * a profile's server never has more requests from this service than its bound. Endpoints without a bound (an
 * evaluation's own model, say) pass straight through.
 */
public final class AdmittedModelClient implements ModelClient {
  private final ModelClient inner;
  private final Map<Server, Bulkhead> bounds;

  /** A model server as requests name it. */
  public record Server(String baseUrl, String model) {
    public static Server of(ModelEndpoint endpoint) {
      return new Server(endpoint.baseUrl(), endpoint.model());
    }
  }

  public AdmittedModelClient(ModelClient inner, Map<Server, Bulkhead> bounds) {
    this.inner = inner;
    this.bounds = Map.copyOf(bounds);
  }

  @Override
  public Generation generate(ModelEndpoint endpoint, List<PromptMessage> messages, TokenSink sink) {
    Bulkhead bound = bounds.get(Server.of(endpoint));
    if (bound == null) {
      return inner.generate(endpoint, messages, sink);
    }
    try (Bulkhead.Permit permit = bound.acquire(1)) {
      return inner.generate(endpoint, messages, sink);
    }
  }
}
