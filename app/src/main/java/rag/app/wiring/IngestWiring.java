package rag.app.wiring;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jboss.logging.Logger;
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
import rag.storage.blobs.BlobStore;
import rag.storage.embed.CachingEmbedder;
import rag.storage.embed.Embedder;
import rag.storage.embed.TokenCounter;

/** Builds the ingest pipeline from {@link RagConfig}; resumes unfinished files at start. */
@ApplicationScoped
public class IngestWiring {
  private static final Logger LOG = Logger.getLogger(IngestWiring.class);

  /**
   * Set by one-off commands that ingest nothing ({@code rebuild-search}, {@code keys}, {@code audit}): on the cluster
   * backend they claim no files from the shared queue, which the instances that keep running ingest.
   */
  public static final String NO_CLAIMS_PROPERTY = "ragcli.no-ingest-claims";

  @Produces
  @Singleton
  Intake intake(RagConfig config, Archive archive) {
    RagConfig.Ingest i = config.ingest();
    IntakeLimits limits = new IntakeLimits(i.maxFileSize().asLongValue(), i.maxArchiveEntries(),
        i.maxExpandedSize().asLongValue(), i.maxCompressionRatio());
    return new Intake(new Spool(config.dataDir().toAbsolutePath().resolve("spool"), shared(config, archive)), limits,
        archive.jobs());
  }

  /** On the cluster backend uploads and originals are kept in PostgreSQL, where every instance reaches them. */
  private static BlobStore shared(RagConfig config, Archive archive) {
    return isCluster(config) ? archive.blobs() : null;
  }

  private static boolean isCluster(RagConfig config) {
    return config.storage().backend() == RagConfig.Backend.CLUSTER;
  }

  @Produces
  @Singleton
  Originals originals(RagConfig config, Archive archive) {
    return new Originals(config.dataDir().toAbsolutePath().resolve("originals"), shared(config, archive));
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
    IngestPipeline.Builder builder = IngestPipeline.builder(archive, intake.spool()).parser(parser).chunker(chunker)
        .embedder(new CachingEmbedder(embedder, archive.embeddingCache())).embedBatch(i.embedBatch())
        .embedContext(config.index().embedContext()).originals(originals);
    if (isCluster(config)) {
      builder.fencedBy(NodeIdentity.name()); // the owner its claims are made under
    }
    IngestPipeline pipeline = builder.build();
    IngestWorkers.Sharing sharing = null;
    Set<RagConfig.Role> roles = config.node().roles();
    if (isCluster(config)) {
      sharing = new IngestWorkers.Sharing(archive.jobs(), NodeIdentity.name(), i.lease(),
          roles.contains(RagConfig.Role.INGEST) && !Boolean.getBoolean(NO_CLAIMS_PROPERTY));
      LOG.infof("ingest: node %s, roles %s; files are claimed from the shared queue for leases of %s",
          sharing.owner(), roles, i.lease());
    } else if (!roles.equals(EnumSet.allOf(RagConfig.Role.class))) {
      throw new IllegalArgumentException("rag.node.roles=" + roles + " needs rag.storage.backend=cluster: with the "
          + config.storage().backend().name().toLowerCase(Locale.ROOT) + " backend each instance ingests the files"
          + " it accepts, so it has both roles");
    }
    IngestWorkers workers = new IngestWorkers(pipeline, i.workers(), i.queueCapacity(), i.embedBatch(),
        i.embedDefer(), sharing);
    IngestService service = new IngestService(intake, workers, archive.jobs(), i.allowedRoots().orElse(List.of()));
    service.resume();
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
