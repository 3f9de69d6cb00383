package rag.app.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the service, or with {@code ingest <collection> <folder>} ingests a folder through the same
 * pipeline and exits (see {@link IngestCommand}).
 */
@QuarkusMain
public class Main {
  public static void main(String... args) {
    if (args.length > 0 && args[0].equals("ingest")) {
      // a one-off run next to (not instead of) a server: no HTTP port
      System.setProperty("quarkus.http.host-enabled", "false");
      System.setProperty("quarkus.http.port", "0");
      Quarkus.run(IngestCommand.class, args);
    } else {
      Quarkus.run(args);
    }
  }
}
