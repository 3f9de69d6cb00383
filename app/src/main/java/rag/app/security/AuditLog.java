package rag.app.security;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import rag.query.cite.Citation;
import rag.storage.Archive;
import rag.storage.catalog.StorageException;
import rag.storage.audit.AuditEntry;

/**
 * Writes the audit log: who (key id) did what, on which collection and documents, from which address, with what
 * outcome, and which passages an answer cited. Requests to methods marked {@link Audit} are logged when they are
 * answered ({@link AuditResponseFilter}), refusals by {@link AccessFilter} when they are refused. A failure to write is
 * logged as an error and does not fail the request, whose work is done by then.
 */
@ApplicationScoped
public class AuditLog {
  private static final Logger LOG = Logger.getLogger(AuditLog.class);
  static final String ACCESS_DENIED = "access-denied";

  @Inject
  Archive archive;

  private final Clock clock = Clock.systemUTC();

  public void record(String keyId, String action, String collection, String target, String outcome, String address,
      String detail) {
    try {
      archive.audit().append(AuditEntry.of(clock.instant(), keyId, action, collection, target, outcome, address,
          detail));
    } catch (RuntimeException e) {
      if (StorageException.isTransient(e)) {
        // the database is down: the outage is reported already, and the request met it too (its outcome says so)
        LOG.warnf("could not write the audit entry while the database is unreachable: key %s %s on %s (%s): %s",
            keyId, action, collection, outcome, e.getMessage());
      } else {
        LOG.errorf(e, "could not write the audit entry: key %s %s on %s (%s)", keyId, action, collection, outcome);
      }
    }
  }

  /** The passages an answer cited, for an entry's detail: document id and place, e.g. {@code d1 p.3; d2 l.10-24}. */
  public static String cited(List<Citation> citations) {
    if (citations.isEmpty()) {
      return "cited nothing";
    }
    return citations.stream().map(c -> c.documentId() + (c.page() != null ? " p." + c.page()
        + (c.pageEnd() != null && !c.pageEnd().equals(c.page()) ? "-" + c.pageEnd() : "")
        : c.lineStart() != null ? " l." + c.lineStart() + "-" + c.lineEnd()
        : c.startMs() != null ? " t." + c.startMs() + "-" + c.endMs() + "ms" : ""))
        .collect(Collectors.joining("; ", "cited ", ""));
  }

  /** The client's address (the socket's peer; a proxy in front shows as itself). */
  public static String address(RoutingContext context) {
    SocketAddress remote = context == null ? null : context.request().remoteAddress();
    return remote == null ? null : remote.hostAddress();
  }
}
