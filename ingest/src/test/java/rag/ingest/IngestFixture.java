package rag.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import rag.ingest.chunk.Chunker;
import rag.ingest.chunk.Chunkers;
import rag.ingest.chunk.ChunkingConfig;
import rag.ingest.intake.Intake;
import rag.ingest.intake.IntakeLimits;
import rag.ingest.intake.Originals;
import rag.ingest.intake.Spool;
import rag.ingest.parse.Parser;
import rag.ingest.parse.TikaParser;
import rag.storage.Archive;
import rag.storage.ArchiveFactory;
import rag.storage.StorageConfig;
import rag.storage.embed.Embedder;
import rag.storage.embed.JTokkitTokenCounter;

/** An embedded archive and an ingest service on one data directory, built as the app builds them. */
final class IngestFixture {
  private IngestFixture() {}

  static Archive openArchive(Path dataDir, Embedder embedder) {
    Archive archive = ArchiveFactory.open(StorageConfig.embedded(dataDir), embedder.dimension(), embedder.modelName());
    archive.reconcile();
    return archive;
  }

  static Intake intake(Path dataDir, Archive archive) {
    return new Intake(new Spool(dataDir.resolve("spool")), IntakeLimits.DEFAULT, archive.jobs());
  }

  static IngestPipeline pipeline(Path dataDir, Archive archive, Embedder embedder, int embedBatch) {
    return pipeline(dataDir, archive, new TikaParser(), embedder, embedBatch);
  }

  static IngestPipeline pipeline(Path dataDir, Archive archive, Parser parser, Embedder embedder, int embedBatch) {
    Chunker chunker = Chunkers.byFormat(new ChunkingConfig(200, 20), JTokkitTokenCounter.cl100k());
    return IngestPipeline.builder(archive, new Spool(dataDir.resolve("spool"))).parser(parser).chunker(chunker)
        .embedder(embedder).embedBatch(embedBatch).originals(new Originals(dataDir.resolve("originals"))).build();
  }

  static IngestService service(Path dataDir, Archive archive, Embedder embedder, int capacity, int embedBatch) {
    IngestPipeline pipeline = pipeline(dataDir, archive, embedder, embedBatch);
    return new IngestService(intake(dataDir, archive), new IngestWorkers(pipeline, 2, capacity, embedBatch),
        archive.jobs(), List.of());
  }

  /** Waits until the workers have nothing left, failing after {@code timeout}. */
  static void awaitIdle(IngestService service, Duration timeout) throws InterruptedException {
    awaitIdle(service.workers(), timeout);
  }

  /** Waits until the workers have nothing left, failing after {@code timeout}. */
  static void awaitIdle(IngestWorkers workers, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!workers.isIdle()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("workers still busy after " + timeout + ": " + workers.pending() + " files");
      }
      Thread.sleep(50);
    }
  }
}
