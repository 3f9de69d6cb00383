package rag.app.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Method;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import rag.app.api.ProblemException;
import rag.query.chat.ChatService;
import rag.storage.Archive;
import rag.storage.keys.AccessLevel;
import rag.storage.keys.ApiKey;
import rag.storage.keys.KeyScope;
import rag.storage.model.Document;
import rag.storage.problem.ProblemType;

/**
 * The one access check of the API. Before a resource method runs (on its worker thread), it establishes the caller
 * (401 without a valid key once access control is on) and checks what the method's {@link Requires} names: 404 for
 * anything in a collection the key cannot read, exactly as if it did not exist, and 403 for an action above the key's
 * level in a collection it can read, or without a scope the method needs.
 */
public class AccessFilter {
  @Inject
  ApiKeys keys;

  @Inject
  CurrentIdentityAssociation identities;

  @Inject
  CurrentCaller current;

  // looked up per request: RESTEasy creates filters before the application's configuration is ready
  @Inject
  Instance<Archive> archive;

  @Inject
  Instance<ChatService> chat;

  @Inject
  Instance<AuditLog> audit;

  @Inject
  KeyLimits limits;

  @Inject
  Instance<RoutingContext> routing;

  @ServerRequestFilter
  public void check(ResourceInfo resource, UriInfo uri) {
    Caller caller = null;
    try {
      caller = caller();
      if (!caller.isOpen()) {
        KeyLimits.Permit permit = limits.admit(caller.keyId());
        routing.get().addEndHandler(ended -> permit.close()); // also when a stream ends or the client goes away
      }
      authorize(resource.getResourceMethod(), caller, uri);
      current.set(caller); // only now: the audit of the method's own action sees refused requests as refused
    } catch (ProblemException refused) {
      if (refused.type() == ProblemType.RATE_LIMITED) {
        throw refused; // not logged one by one: a flood must not turn into a flood of audit writes
      }
      String method = routing.get().request().method().name();
      audit.get().record(caller == null ? null : caller.keyId(), AuditLog.ACCESS_DENIED,
          param(uri, "collection"), method + " /" + uri.getPath().replaceFirst("^/", ""),
          String.valueOf(refused.type().status()), AuditLog.address(routing.get()), refused.getMessage());
      throw refused;
    }
  }

  private void authorize(Method method, Caller caller, UriInfo uri) {
    Requires requires = method == null ? null : method.getAnnotation(Requires.class);
    if (requires == null) {
      throw new ProblemException(ProblemType.FORBIDDEN, "this operation declares no access rule, so it is refused");
    }
    for (KeyScope scope : requires.scopes()) {
      if (!caller.has(scope)) {
        throw new ProblemException(ProblemType.FORBIDDEN, "this key lacks the scope '" + scope.wireName() + "'");
      }
    }
    switch (requires.on()) {
      case NOTHING -> { }
      case EVERY_COLLECTION -> {
        if (!caller.hasEverywhere(requires.level())) {
          throw new ProblemException(ProblemType.FORBIDDEN, "this operation needs '" + requires.level().wireName()
              + "' on every collection (a grant on *)");
        }
      }
      case COLLECTION -> require(caller, requires.level(), param(uri, "collection"), "collection",
          param(uri, "collection"));
      case DOCUMENT -> {
        String id = param(uri, "id");
        String collection = archive.get().reader().find(id).map(Document::collection).orElse(null);
        require(caller, requires.level(), collection, "document", id);
      }
      case JOB -> {
        String id = param(uri, "jobId");
        require(caller, requires.level(), archive.get().jobs().find(id).map(j -> j.collection()).orElse(null), "job", id);
      }
      case CONVERSATION -> {
        String id = param(uri, "id");
        require(caller, requires.level(), chat.get().store().find(id).map(c -> c.collection()).orElse(null),
            "conversation", id);
      }
    }
  }

  /**
   * Checks the caller's level in {@code collection} (null: the thing does not exist): 404 naming the thing when it does
   * not exist or the caller cannot read its collection, 403 when the caller's level is below {@code level}.
   */
  public static void require(Caller caller, AccessLevel level, String collection, String what, String id) {
    Optional<AccessLevel> has = collection == null ? Optional.empty() : caller.levelIn(collection);
    if (has.isEmpty()) {
      if (collection == null && caller.isOpen()) {
        return; // nothing to protect: the resource answers its own 404
      }
      throw ProblemException.notFound(what, id);
    }
    if (!has.get().includes(level)) {
      throw new ProblemException(ProblemType.FORBIDDEN, "this key may " + has.get().wireName() + " collection '"
          + collection + "'; this operation needs " + level.wireName());
    }
  }

  private Caller caller() {
    if (!keys.securityOn()) {
      return Caller.open();
    }
    SecurityIdentity identity;
    try {
      identity = identities.getDeferredIdentity().await().indefinitely();
    } catch (AuthenticationFailedException e) {
      throw new ProblemException(ProblemType.UNAUTHORIZED,
          "the API key is not valid: unknown, revoked or expired");
    }
    ApiKey key = identity == null || identity.isAnonymous() ? null : identity.getAttribute(ApiKeyIdentityProvider.KEY_ATTRIBUTE);
    if (key == null) {
      throw new ProblemException(ProblemType.UNAUTHORIZED,
          "this service needs an API key: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
    }
    return Caller.of(key);
  }

  private static String param(UriInfo uri, String name) {
    return uri.getPathParameters().getFirst(name);
  }
}
