package rag.app.security;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sheds the requests of a key that has used up its rate on the event loop, before authentication, routing or a worker
 * thread: a flood then costs the service little, and other keys keep their latency. {@link AccessFilter} still takes
 * the tokens of every admitted request; this only reads the key's bucket.
 *
 * <p>A key that keeps sending after it was told to wait is paced: within a second, its first {@value #PROMPT_REFUSALS}
 * refusals are answered at once, later ones after {@value #PACE_MILLIS} ms on a timer (no thread is held), at most
 * {@value #MAX_HELD} at a time per key. A client that honours Retry-After never sees the delay; a closed-loop flood
 * slows to its connections' count every {@value #PACE_MILLIS} ms instead of taking a core from the other keys.
 */
@ApplicationScoped
public class EarlyShedding {
  static final int PROMPT_REFUSALS = 20;
  static final long PACE_MILLIS = 250;
  static final int MAX_HELD = 64;
  private static final long WINDOW_NANOS = 1_000_000_000L;
  private static final String BODY = "{\"type\":\"/problems/rate-limited\",\"title\":\"Too many requests for this key\","
      + "\"status\":429,\"detail\":\"this key sent more requests than rag.security.limits.* allow; retry after the"
      + " Retry-After delay\"}";

  /** One key's refusals in the current window and its refusals waiting on a timer. */
  private static final class Offences {
    private long windowStart = System.nanoTime();
    private int inWindow;
    final AtomicInteger held = new AtomicInteger();

    synchronized boolean pace() {
      long now = System.nanoTime();
      if (now - windowStart > WINDOW_NANOS) {
        windowStart = now;
        inWindow = 0;
      }
      return ++inWindow > PROMPT_REFUSALS;
    }

    /** Takes a place among the held refusals, false when all are taken. */
    boolean hold() {
      if (held.incrementAndGet() <= MAX_HELD) {
        return true;
      }
      held.decrementAndGet();
      return false;
    }
  }

  private final Map<String, Offences> offences = new ConcurrentHashMap<>();

  void install(@Observes Router router, KeyLimits limits, Vertx vertx) {
    router.route().order(-1000).handler(context -> {
      HttpServerRequest request = context.request();
      String path = request.path();
      String key = path.startsWith("/api/") || path.startsWith("/v1/")
          ? ApiKeyMechanism.presentedKey(request.getHeader("Authorization"),
              request.getHeader(ApiKeyMechanism.API_KEY_HEADER))
          : null;
      String keyId = key == null ? null : ApiKeys.idOf(key);
      if (keyId == null || !limits.exhausted(keyId)) {
        context.next();
        return;
      }
      // only keys with a bucket are ever exhausted, so this map holds at most one entry per real key
      Offences offender = offences.computeIfAbsent(keyId, id -> new Offences());
      if (offender.pace() && offender.hold()) {
        vertx.setTimer(PACE_MILLIS, timer -> {
          offender.held.decrementAndGet();
          refuse(context);
        });
      } else {
        refuse(context);
      }
    });
  }

  private static void refuse(RoutingContext context) {
    if (!context.response().closed() && !context.response().ended()) {
      context.response().setStatusCode(429).putHeader("Content-Type", "application/problem+json")
          .putHeader("Retry-After", "1").end(BODY);
    }
  }
}
