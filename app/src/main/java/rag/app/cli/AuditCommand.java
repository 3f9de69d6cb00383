package rag.app.cli;

import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import rag.storage.Archive;
import rag.storage.audit.AuditStore;

/**
 * {@code audit verify}: recomputes the audit log's hash chain on the service's database. Exit code 0 when it is
 * intact, 1 when an entry was changed, removed or inserted (the first such entry is named), 2 for a usage error.
 */
public class AuditCommand implements QuarkusApplication {
  @Inject
  Archive archive;

  @Override
  public int run(String... args) {
    if (args.length != 2 || !args[1].equals("verify")) {
      System.err.println("usage: audit verify");
      return 2;
    }
    AuditStore.Verification v = archive.audit().verify();
    if (v.intact()) {
      System.out.printf("audit log intact: %d entries%n", v.entries());
      return 0;
    }
    System.out.printf("audit log BROKEN at entry %d (%s); %d entries read%n", v.firstBrokenSeq().orElseThrow(),
        v.reason(), v.entries());
    return 1;
  }
}
