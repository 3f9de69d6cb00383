package rag.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import rag.ingest.IngestPipeline;
import rag.ingest.IngestService;
import rag.ingest.IngestWorkers;
import rag.ingest.chunk.Chunkers;
import rag.ingest.chunk.ChunkingConfig;
import rag.ingest.intake.Intake;
import rag.ingest.intake.IntakeLimits;
import rag.ingest.intake.Originals;
import rag.ingest.intake.Spool;
import rag.ingest.parse.ParserLimits;
import rag.ingest.parse.TikaParser;
import rag.storage.Archive;
import rag.storage.ArchiveFactory;
import rag.storage.StorageConfig;
import rag.storage.embed.CachingEmbedder;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.OnnxEmbedder;

/**
 * The service's ingestion objects, built in plain Java as app's StorageWiring and IngestWiring
 * build them with the default configuration (embedded storage, 2 parse workers, embedding batches
 * of 32 deferred while files wait to be parsed, chunks of 400 tokens with 50 overlap, 120 s parse timeout, 50M characters, uploaded bytes
 * kept as originals), on a fresh data directory, so the embedding cache starts empty. Added for measuring only: the archive's job store
 * is wrapped in a {@link StatusClock}, the vector store in a {@link TimedVectorStore}, the embedder in
 * a {@link MeteredEmbedder} (inside the cache), and the parser and the chunker in {@link StageTimer}s.
 */
final class ServicePipeline implements AutoCloseable {
  static final int PARSE_WORKERS = 2;
  static final int EMBED_BATCH = 32;
  static final ChunkingConfig CHUNKING = new ChunkingConfig(400, 50);
  /** rag.ingest.embed-defer's default: searchable first. */
  static final Duration EMBED_DEFER = Duration.ofSeconds(30);

  private final Archive opened;
  private final Archive archive;
  private final StatusClock clock;
  private final TimedVectorStore vectors;
  private final MeteredEmbedder embedder;
  private final IngestService service;
  private final StageTimer parsing = new StageTimer();
  private final StageTimer chunking = new StageTimer();

  ServicePipeline(Path dataDir, OnnxEmbedder onnx) {
    opened = ArchiveFactory.open(new StorageConfig(StorageConfig.Backend.EMBEDDED, dataDir.toAbsolutePath(), null,
        null, null, 8, null, null), onnx.dimension(), onnx.modelName());
    opened.reconcile();
    clock = new StatusClock(opened.jobs());
    // the same stores; the job store and the vector store are wrapped (the original archive closes them)
    vectors = new TimedVectorStore(opened.internals().vectors());
    archive = new Archive(opened.internals().catalog(), opened.internals().lexical(),
        opened.generations().withCurrentStore(vectors), opened.stores().withJobs(clock), () -> { });
    embedder = new MeteredEmbedder(onnx);
    Intake intake = new Intake(new Spool(dataDir.toAbsolutePath().resolve("spool")), IntakeLimits.DEFAULT, clock);
    TikaParser parser = new TikaParser(new ParserLimits(50_000_000, Duration.ofSeconds(120)));
    IngestPipeline pipeline = IngestPipeline.builder(archive, intake.spool()).parser(parsing.wrap(parser))
        .chunker(chunking.wrap(Chunkers.byFormat(CHUNKING, JTokkitTokenCounter.cl100k())))
        .embedder(new CachingEmbedder(embedder, archive.embeddingCache())).embedBatch(EMBED_BATCH)
        .originals(new Originals(dataDir.toAbsolutePath().resolve("originals"))).build();
    service = new IngestService(intake,
        new IngestWorkers(pipeline, PARSE_WORKERS, 10_000, EMBED_BATCH, EMBED_DEFER), clock,
        List.of());
  }

  Archive archive() {
    return archive;
  }

  StatusClock clock() {
    return clock;
  }

  MeteredEmbedder embedder() {
    return embedder;
  }

  /** Worker-seconds in Tika (and the plain-text readers), summed over the parse workers. */
  TimedVectorStore vectors() {
    return vectors;
  }

  StageTimer parsing() {
    return parsing;
  }

  /** Worker-seconds in the chunkers (token counting included), summed over the parse workers. */
  StageTimer chunking() {
    return chunking;
  }

  IngestService service() {
    return service;
  }

  @Override
  public void close() throws IOException {
    embedder.open();
    try {
      service.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    opened.close();
  }
}
