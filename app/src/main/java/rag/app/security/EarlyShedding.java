package rag.app.security;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Sheds the requests of a key that has used up its rate on the event loop, before authentication, routing or a worker
 * thread: a flood then costs the service little, and other keys keep their latency. {@link AccessFilter} still takes
 * the tokens of every admitted request; this only reads the key's bucket.
 */
@ApplicationScoped
public class EarlyShedding {
  private static final String BODY = "{\"type\":\"/problems/rate-limited\",\"title\":\"Too many requests for this key\","
      + "\"status\":429,\"detail\":\"this key sent more requests than rag.security.limits.* allow; retry after the"
      + " Retry-After delay\"}";

  void install(@Observes Router router, KeyLimits limits) {
    router.route().order(-1000).handler(context -> {
      HttpServerRequest request = context.request();
      String path = request.path();
      String key = path.startsWith("/api/") || path.startsWith("/v1/")
          ? ApiKeyMechanism.presentedKey(request.getHeader("Authorization"),
              request.getHeader(ApiKeyMechanism.API_KEY_HEADER))
          : null;
      if (key != null && limits.exhausted(ApiKeys.idOf(key))) {
        context.response().setStatusCode(429).putHeader("Content-Type", "application/problem+json")
            .putHeader("Retry-After", "1").end(BODY);
        return;
      }
      context.next();
    });
  }
}
