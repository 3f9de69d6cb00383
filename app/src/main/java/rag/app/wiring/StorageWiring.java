package rag.app.wiring;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;
import rag.app.config.RagConfig;
import rag.storage.Archive;
import rag.storage.ArchiveFactory;
import rag.storage.StorageConfig;
import rag.storage.embed.Embedder;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.embed.OpenAiCompatibleEmbedder;
import rag.storage.embed.OpenAiEmbeddingSettings;
import rag.storage.embed.TokenCounter;
import rag.storage.lexical.Bm25Params;
import rag.storage.opensearch.OpenSearchSettings;
import rag.storage.vector.CollectionVectors;
import rag.storage.vector.HnswParams;

/** Turns {@link RagConfig} into the storage module's plain objects and opens the archive at start. */
@ApplicationScoped
public class StorageWiring {
  private static final Logger LOG = Logger.getLogger(StorageWiring.class);

  static StorageConfig storageConfig(RagConfig config) {
    RagConfig.Storage s = config.storage();
    RagConfig.Index i = config.index();
    StorageConfig.Backend backend = switch (s.backend()) {
      case EMBEDDED -> StorageConfig.Backend.EMBEDDED;
      case POSTGRES -> StorageConfig.Backend.POSTGRES;
      case CLUSTER -> StorageConfig.Backend.CLUSTER;
    };
    String name = s.backend().name().toLowerCase(Locale.ROOT);
    if (backend != StorageConfig.Backend.EMBEDDED && s.jdbcUrl().isEmpty()) {
      throw new IllegalArgumentException("rag.storage.backend=" + name + " needs rag.storage.jdbc-url,"
          + " e.g. jdbc:postgresql://localhost:5432/rag");
    }
    OpenSearchSettings search = null;
    if (backend == StorageConfig.Backend.CLUSTER) {
      RagConfig.OpenSearch o = config.opensearch();
      List<String> urls = o.urls().orElseThrow(() -> new IllegalArgumentException("rag.storage.backend=cluster needs"
          + " rag.opensearch.urls, the cluster's nodes, e.g. http://localhost:9200,http://localhost:9201"));
      search = new OpenSearchSettings(urls.stream().map(String::trim).map(URI::create).toList(), o.indexPrefix(),
          o.shards(), o.replicas(), o.timeout(), o.username().orElse(null), o.password().orElse(null));
    }
    return new StorageConfig(backend, config.dataDir().toAbsolutePath(), s.jdbcUrl().orElse(null),
        s.username().orElse(null), s.password().orElse(null), s.poolSize(),
        bm25(i), new HnswParams(i.hnswM(), i.hnswEfConstruction(), i.hnswEfSearch()), search);
  }

  @Produces
  @Singleton
  Embedder embedder(RagConfig config) {
    RagConfig.Embedding e = config.embedding();
    if (e.provider() == RagConfig.EmbeddingProvider.OPENAI) {
      RagConfig.OpenAiEmbedding o = e.openai();
      String baseUrl = o.baseUrl().orElseThrow(() -> new IllegalArgumentException(
          "rag.embedding.provider=openai needs rag.embedding.openai.base-url, e.g. http://localhost:8080/v1"));
      String model = o.model().orElseThrow(() -> new IllegalArgumentException(
          "rag.embedding.provider=openai needs rag.embedding.openai.model"));
      return new OpenAiCompatibleEmbedder(new OpenAiEmbeddingSettings(baseUrl, model, o.apiKey().orElse(null),
          o.dimension().orElse(null), o.queryPrefix().orElse(""), o.timeout(), o.batchSize(), o.maxRetries()));
    }
    int threads = e.threads() == 0 ? Runtime.getRuntime().availableProcessors() : e.threads();
    return new OnnxEmbedder(InProcessModel.byId(e.model()), threads);
  }

  void closeEmbedder(@Disposes Embedder embedder) throws Exception {
    if (embedder instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  @Produces
  @Singleton
  TokenCounter tokenCounter() {
    return JTokkitTokenCounter.cl100k();
  }

  @Produces
  @Singleton
  @Startup
  Archive archive(RagConfig config, Embedder embedder) {
    StorageConfig storage = storageConfig(config);
    LOG.infof("storage: %s; embedding model %s (%d dimensions)", storage, embedder.modelName(), embedder.dimension());
    Archive archive = ArchiveFactory.open(storage, embedder.dimension(), embedder.modelName());
    // on the cluster backend other instances write while this one starts: their writes in progress stay
    archive.reconcile(storage.backend() == StorageConfig.Backend.CLUSTER ? config.storage().stagedGrace()
        : java.time.Duration.ZERO);
    List<String> stale = needingReindex(archive);
    if (!stale.isEmpty()) {
      LOG.warnf("%d %s need%s re-indexing for the configured embedding model %s: %s. Until then %s answered from BM25"
          + " alone (no vector search); re-index with POST /api/collections/<name>/reindex, the page's Re-index button"
          + " or scripts/run.sh reindex <name>", stale.size(), stale.size() == 1 ? "collection" : "collections",
          stale.size() == 1 ? "s" : "", archive.currentGeneration().describe(), String.join(", ", stale),
          stale.size() == 1 ? "it is" : "they are");
    }
    return archive;
  }

  /** The collections that need re-indexing, each with the vectors it has: {@code notes (model, 384 dimensions)}. */
  public static List<String> needingReindex(Archive archive) {
    return archive.reader().collections().stream().map(archive::vectorState).filter(CollectionVectors::needsReindex)
        .map(v -> v.collection() + " (vectors of " + v.searched().describe() + ")").toList();
  }

  void closeArchive(@Disposes Archive archive) throws IOException {
    archive.close();
  }

  /** BM25 as configured ({@code rag.index.*}); evaluations' scratch archives use it too. */
  public static Bm25Params bm25(RagConfig.Index i) {
    return new Bm25Params(i.bm25K1(), i.bm25B(), i.titleWeight());
  }
}
