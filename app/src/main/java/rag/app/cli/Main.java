package rag.app.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import rag.app.eval.EvalRuns;
import rag.app.wiring.IngestWiring;

/**
 * Starts the service, or with {@code ingest <collection> <folder>} ingests a folder through the same
 * pipeline and exits (see {@link IngestCommand}), or with {@code reindex <collection>} embeds a collection with the
 * configured model and exits (see {@link ReindexCommand}), or with {@code eval-niah ...} / {@code eval-retrieval ...} / {@code eval-qa ...} runs an
 * evaluation and exits (see {@link EvalCommand}), or with {@code keys create|list|revoke} manages API keys and exits (see
 * {@link KeysCommand}), or with {@code audit verify} checks the audit log's hash chain (see {@link AuditCommand}), or
 * with {@code backup <dir>} / {@code restore <dir>} backs up the store (through the running service when there is
 * one, see {@link BackupCommand}) or restores it into an empty data directory (see {@link RestoreCommand}), or with
 * {@code rebuild-search} rebuilds the search cluster's indexes from PostgreSQL (see {@link RebuildSearchCommand}).
 */
@QuarkusMain
public class Main {
  public static void main(String... args) {
    if (args.length > 0 && (args[0].equals("backup") || args[0].equals("restore"))) {
      System.exit(backupOrRestore(args));
    } else if (args.length > 0 && (args[0].equals("ingest") || args[0].equals("reindex"))) {
      // a one-off run next to (not instead of) a server: no HTTP port
      System.setProperty("quarkus.http.host-enabled", "false");
      System.setProperty("quarkus.http.port", "0");
      Quarkus.run(args[0].equals("ingest") ? IngestCommand.class : ReindexCommand.class, args);
    } else if (args.length > 0 && (args[0].equals("keys") || args[0].equals("audit"))) {
      System.setProperty("quarkus.http.host-enabled", "false");
      System.setProperty("quarkus.http.port", "0");
      System.setProperty(IngestWiring.NO_CLAIMS_PROPERTY, "true");
      Quarkus.run(args[0].equals("keys") ? KeysCommand.class : AuditCommand.class, args);
    } else if (args.length > 0 && args[0].equals("rebuild-search")) {
      System.setProperty("quarkus.http.host-enabled", "false");
      System.setProperty("quarkus.http.port", "0");
      System.setProperty(IngestWiring.NO_CLAIMS_PROPERTY, "true");
      Quarkus.run(RebuildSearchCommand.class, args);
    } else if (args.length > 0 && (args[0].equals("eval-niah") || args[0].equals("eval-retrieval")
        || args[0].equals("eval-qa"))) {
      System.setProperty("quarkus.http.host-enabled", "false");
      System.setProperty("quarkus.http.port", "0");
      System.setProperty(EvalRuns.COMMAND_PROPERTY, args[0]);
      try {
        Quarkus.run(EvalCommand.class, args);
      } finally {
        System.clearProperty(EvalRuns.COMMAND_PROPERTY);
      }
    } else {
      Quarkus.run(args);
    }
  }

  private static int backupOrRestore(String... args) {
    if (args[0].equals("restore")) {
      return RestoreCommand.run(args);
    }
    if (args.length != 2) {
      System.err.println(BackupCommand.USAGE);
      return 2;
    }
    java.util.Optional<Integer> asked = BackupCommand.viaRunningService(java.nio.file.Path.of(args[1]).toAbsolutePath());
    if (asked.isPresent()) {
      return asked.get();
    }
    // no service answers: back up the data directory here
    System.setProperty("quarkus.http.host-enabled", "false");
    System.setProperty("quarkus.http.port", "0");
    Quarkus.run(BackupCommand.class, args); // exits with the command's code
    return 1;
  }
}
