package rag.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import rag.storage.blobs.JdbcBlobStore;
import rag.storage.catalog.Dialect;
import rag.storage.catalog.JdbcDocumentCatalog;
import rag.storage.catalog.StorageException;
import rag.storage.catalog.TokenCountStore;
import rag.storage.chat.ConversationLog;
import rag.storage.embed.EmbeddingCache;
import rag.storage.audit.AuditStore;
import rag.storage.evals.EvalRunStore;
import rag.storage.evals.QuestionSetStore;
import rag.storage.keys.ApiKeyStore;
import rag.storage.jobs.JdbcJobStore;
import rag.storage.lexical.LexicalIndex;
import rag.storage.lexical.LuceneLexicalIndex;
import rag.storage.opensearch.OpenSearchClient;
import rag.storage.opensearch.OpenSearchGenerationStores;
import rag.storage.opensearch.OpenSearchLexicalIndex;
import rag.storage.vector.GenerationStores;
import rag.storage.vector.LuceneGenerationStores;
import rag.storage.vector.PgGenerationStores;
import rag.storage.vector.VectorGeneration;
import rag.storage.vector.VectorGenerations;

/** Opens the archive for a configuration: one code path, three backends. */
public final class ArchiveFactory {
  private ArchiveFactory() {}

  /**
   * Opens (creating when needed) the stores. {@code dimension} and {@code embeddingModel} come from the embedder:
   * they name the current vector generation, which is registered when new. Vectors of other models stay where they
   * are, for the collections that still search them until they are re-indexed.
   */
  public static Archive open(StorageConfig config, int dimension, String embeddingModel) {
    Path dir = config.dataDir();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dir, e);
    }
    HikariDataSource pool = config.backend() == StorageConfig.Backend.EMBEDDED
        ? sqlitePool(dir.resolve(Archive.CATALOG_FILE), config.poolSize())
        : postgresPool(config);
    Dialect dialect = config.backend() == StorageConfig.Backend.EMBEDDED ? Dialect.SQLITE : Dialect.POSTGRES;
    JdbcDocumentCatalog catalog = null;
    LexicalIndex lexical = null;
    try {
      catalog = new JdbcDocumentCatalog(pool, dialect, config.backend() == StorageConfig.Backend.CLUSTER);
      OpenSearchClient search = config.search() == null ? null : new OpenSearchClient(config.search());
      lexical = config.backend() == StorageConfig.Backend.CLUSTER
          ? new OpenSearchLexicalIndex(search, config.search(), config.bm25())
          : new LuceneLexicalIndex(dir.resolve("lexical"), config.bm25());
      GenerationStores stores = switch (config.backend()) {
        case EMBEDDED -> new LuceneGenerationStores(dir, config.hnsw());
        case POSTGRES -> new PgGenerationStores(pool, config.hnsw());
        case CLUSTER -> new OpenSearchGenerationStores(search, config.search(), config.hnsw());
      };
      if (catalog.generations().isEmpty()) {
        // an archive from before generations: its one vector store becomes generation 1
        JdbcDocumentCatalog adopting = catalog;
        stores.unversioned().ifPresent(g -> adopting.adoptUnversionedVectors(g.model(), g.dimension()));
      }
      VectorGeneration current = catalog.registerGeneration(embeddingModel, dimension);
      VectorGenerations vectors = VectorGenerations.open(current, catalog.generations(), catalog.generationsInUse(),
          stores);
      CatalogStores shared = new CatalogStores(new JdbcJobStore(pool), new EmbeddingCache(pool),
          new TokenCountStore(pool, Clock.systemUTC()), new EvalRunStore(pool, Clock.systemUTC()),
          new ApiKeyStore(pool, Clock.systemUTC()), new AuditStore(pool, dialect),
          new QuestionSetStore(pool, Clock.systemUTC()), new ConversationLog(pool),
          new JdbcBlobStore(pool));
      return new Archive(catalog, lexical, vectors, shared, pool, pool::close);
    } catch (RuntimeException e) {
      closeQuietly(lexical, e);
      pool.close();
      throw e;
    }
  }

  private static void closeQuietly(AutoCloseable c, RuntimeException cause) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        cause.addSuppressed(e);
      }
    }
  }

  static HikariDataSource sqlitePool(Path file, int size) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("catalog-sqlite");
    hc.setDriverClassName("org.sqlite.JDBC");
    hc.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
    hc.setMaximumPoolSize(size);
    hc.addDataSourceProperty("journal_mode", "WAL");
    hc.addDataSourceProperty("synchronous", "FULL");
    hc.addDataSourceProperty("busy_timeout", "30000");
    hc.addDataSourceProperty("transaction_mode", "IMMEDIATE");
    hc.addDataSourceProperty("foreign_keys", "true");
    return open(hc, "the embedded catalog at " + file);
  }

  static HikariDataSource postgresPool(StorageConfig config) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("catalog-postgres");
    String url = config.jdbcUrl();
    hc.setDriverClassName("org.postgresql.Driver");
    hc.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true");
    hc.setUsername(config.username());
    hc.setPassword(config.password());
    hc.setMaximumPoolSize(config.poolSize());
    hc.setConnectionTimeout(10_000);
    hc.setInitializationFailTimeout(10_000);
    // pgvector reads these per query; iterative scans keep filtered searches from returning fewer than k rows
    hc.setConnectionInitSql("SET hnsw.ef_search = " + config.hnsw().efSearch()
        + "; SET hnsw.iterative_scan = relaxed_order");
    return open(hc, "PostgreSQL at " + url);
  }

  private static HikariDataSource open(HikariConfig hc, String what) {
    try {
      return new HikariDataSource(hc);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new StorageException("cannot connect to " + what + ": " + root.getMessage(), e);
    }
  }
}
