package rag.app.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import rag.app.api.ProblemException;
import rag.app.security.Requires.On;
import rag.storage.Archive;
import rag.storage.audit.AuditEntry;
import rag.storage.audit.AuditStore;
import rag.storage.keys.KeyScope;

/** The audit log, for keys with the {@code audit} scope. */
@Path("/api/admin/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
  @Inject
  Archive archive;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EntryView(long seq, String at, String keyId, String action, String collection, String target,
      String outcome, String address, String detail, String hash) {
    static EntryView of(AuditEntry e) {
      return new EntryView(e.seq(), e.at().toString(), e.keyId(), e.action(), e.collection(), e.target(), e.outcome(),
          e.address(), e.detail(), e.hash());
    }
  }

  public record VerificationView(long entries, boolean intact, Long firstBrokenSeq, String reason) {
  }

  @GET
  @Operation(summary = "Audit entries, newest first: who (key id) did what on which collection, from where, with"
      + " what outcome; filter by collection, key and since (ISO-8601 instant)")
  @Requires(on = On.NOTHING, scopes = KeyScope.AUDIT)
  public List<EntryView> entries(@QueryParam("collection") String collection, @QueryParam("key") String key,
      @QueryParam("since") String since, @QueryParam("limit") Integer limit) {
    int n = limit == null ? 100 : ProblemException.requireRange("limit", limit, 1, 10_000);
    Instant from = null;
    if (since != null && !since.isBlank()) {
      try {
        from = Instant.parse(since);
      } catch (DateTimeParseException e) {
        throw ProblemException.badRequest("since '" + since + "' is not an ISO-8601 instant such as"
            + " 2026-12-01T00:00:00Z");
      }
    }
    return archive.audit().find(new AuditStore.Query(blankToNull(collection), blankToNull(key), from, n)).stream()
        .map(EntryView::of).toList();
  }

  @GET
  @Path("/verify")
  @Operation(summary = "Recompute the audit log's hash chain: intact, or the first entry that was changed, removed"
      + " or inserted")
  @Requires(on = On.NOTHING, scopes = KeyScope.AUDIT)
  public VerificationView verify() {
    return view(archive.audit().verify());
  }

  static VerificationView view(AuditStore.Verification v) {
    return new VerificationView(v.entries(), v.intact(), v.firstBrokenSeq().orElse(null), v.reason());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
