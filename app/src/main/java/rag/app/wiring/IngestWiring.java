package rag.app.wiring;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import rag.app.config.RagConfig;
import rag.ingest.IngestPipeline;
import rag.ingest.IngestService;
import rag.ingest.IngestWorkers;
import rag.ingest.chunk.Chunker;
import rag.ingest.chunk.Chunkers;
import rag.ingest.chunk.ChunkingConfig;
import rag.ingest.intake.Intake;
import rag.ingest.intake.IntakeLimits;
import rag.ingest.intake.Originals;
import rag.ingest.intake.Spool;
import rag.ingest.parse.ParserLimits;
import rag.ingest.parse.TikaParser;
import rag.storage.Archive;
import rag.storage.embed.CachingEmbedder;
import rag.storage.embed.Embedder;
import rag.storage.embed.TokenCounter;

/** Builds the ingest pipeline from {@link RagConfig}; resumes unfinished files at start. */
@ApplicationScoped
public class IngestWiring {

  @Produces
  @Singleton
  Intake intake(RagConfig config, Archive archive) {
    RagConfig.Ingest i = config.ingest();
    IntakeLimits limits = new IntakeLimits(i.maxFileSize().asLongValue(), i.maxArchiveEntries(),
        i.maxExpandedSize().asLongValue(), i.maxCompressionRatio());
    return new Intake(new Spool(config.dataDir().toAbsolutePath().resolve("spool")), limits, archive.jobs());
  }

  @Produces
  @Singleton
  Originals originals(RagConfig config) {
    return new Originals(config.dataDir().toAbsolutePath().resolve("originals"));
  }

  @Produces
  @Singleton
  Chunker chunker(RagConfig config, TokenCounter tokens) {
    return Chunkers.byFormat(new ChunkingConfig(config.chunking().maxTokens(), config.chunking().overlapTokens()),
        tokens);
  }

  @Produces
  @Singleton
  @Startup
  IngestService ingestService(RagConfig config, Archive archive, Intake intake, Chunker chunker,
      Embedder embedder, Originals originals) {
    RagConfig.Ingest i = config.ingest();
    TikaParser parser = new TikaParser(new ParserLimits(i.maxTextChars(), i.parseTimeout()), i.tables());
    IngestPipeline pipeline = IngestPipeline.builder(archive, intake.spool()).parser(parser).chunker(chunker)
        .embedder(new CachingEmbedder(embedder, archive.embeddingCache())).embedBatch(i.embedBatch())
        .embedContext(config.index().embedContext()).originals(originals).build();
    IngestWorkers workers = new IngestWorkers(pipeline, i.workers(), i.queueCapacity(), i.embedBatch(),
        i.embedDefer());
    IngestService service = new IngestService(intake, workers, archive.jobs(), i.allowedRoots().orElse(List.of()));
    service.resume(config.storage().backend() == RagConfig.Backend.CLUSTER);
    return service;
  }

  /**
   * Ingest stops first, when shutdown begins: the container disposes beans in no set order, and a worker writing to
   * stores already closed failed its file.
   */
  void stopIngestFirst(@Observes ShutdownEvent event, IngestService service) throws InterruptedException {
    service.close();
  }

  void close(@Disposes IngestService service) throws InterruptedException {
    service.close();
  }
}
