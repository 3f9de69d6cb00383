package rag.ingest;

import java.nio.file.Path;
import java.time.Duration;
import rag.storage.Archive;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.jobs.IngestJob;

/**
 * A separate JVM for {@link KillDuringIngestIT}: opens the archive on a data directory, resumes
 * unfinished work, optionally submits a folder, and runs until the workers are idle (or until it
 * is killed). Prints {@code ACCEPTED <jobId>} once a submission is durable and {@code IDLE} at the end.
 *
 * <p>Arguments: {@code dataDir [collection folder]}.
 */
public final class CrashHarness {
  private CrashHarness() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    try (OnnxEmbedder embedder = new OnnxEmbedder(InProcessModel.ALL_MINILM_L6_V2_Q, 2);
        Archive archive = IngestFixture.openArchive(data, embedder);
        IngestService service = IngestFixture.service(data, archive, embedder, 10_000, 8)) {
      System.out.println("RESUMED " + service.resume());
      if (args.length == 3) {
        IngestJob job = service.submitLocalFolder(args[1], Path.of(args[2]));
        System.out.println("ACCEPTED " + job.id());
      }
      System.out.flush();
      IngestFixture.awaitIdle(service, Duration.ofMinutes(5));
      System.out.println("IDLE");
      System.out.flush();
    }
  }
}
