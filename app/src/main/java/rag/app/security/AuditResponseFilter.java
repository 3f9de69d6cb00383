package rag.app.security;

import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Method;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Logs every answered request to a method marked {@link Audit}, with its status as the outcome. */
public class AuditResponseFilter {
  @Inject
  Instance<AuditLog> log;

  @Inject
  Instance<AuditContext> context;

  @Inject
  Instance<CurrentCaller> caller;

  @Inject
  Instance<RoutingContext> routing;

  @ServerResponseFilter
  public void record(ResourceInfo resource, UriInfo uri, ContainerResponseContext response) {
    Method method = resource == null ? null : resource.getResourceMethod();
    Audit audit = method == null ? null : method.getAnnotation(Audit.class);
    if (audit == null) {
      return;
    }
    AuditContext details = context.get();
    Caller who = caller.get().established();
    if (details.isRecordedByResource() && response.getStatus() < 300) {
      return;
    }
    if (who == null) {
      return; // refused before the access check ran: AccessFilter logged it
    }
    String collection = details.collection() != null ? details.collection()
        : uri.getPathParameters().getFirst("collection");
    log.get().record(who.keyId(), audit.value(), collection, details.target(), String.valueOf(response.getStatus()),
        AuditLog.address(routing.get()), details.detail());
  }
}
