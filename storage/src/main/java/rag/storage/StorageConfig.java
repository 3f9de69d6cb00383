package rag.storage;

import java.nio.file.Path;
import java.util.Objects;
import rag.storage.lexical.Bm25Params;
import rag.storage.opensearch.OpenSearchSettings;
import rag.storage.vector.HnswParams;

/**
 * Where and how the archive is stored. {@link Backend#EMBEDDED} keeps everything under
 * {@code dataDir}; {@link Backend#POSTGRES} keeps the catalog and vectors in PostgreSQL at
 * {@code jdbcUrl} and only the lexical index under {@code dataDir}; {@link Backend#CLUSTER} keeps the catalog (with
 * the chunk text) in PostgreSQL and the BM25 and vector indexes, derived from it, on the OpenSearch cluster that
 * {@code search} names, so several instances share one archive.
 */
public record StorageConfig(Backend backend, Path dataDir, String jdbcUrl, String username, String password,
    int poolSize, Bm25Params bm25, HnswParams hnsw, OpenSearchSettings search) {

  public enum Backend { EMBEDDED, POSTGRES, CLUSTER }

  public StorageConfig {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(dataDir, "dataDir");
    bm25 = bm25 == null ? Bm25Params.DEFAULT : bm25;
    hnsw = hnsw == null ? HnswParams.DEFAULT : hnsw;
    if (backend != Backend.EMBEDDED && (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:"))) {
      throw new IllegalArgumentException("illegal JDBC URL '" + jdbcUrl + "': the "
          + backend.name().toLowerCase(java.util.Locale.ROOT)
          + " backend needs a jdbc:postgresql://host:port/database URL");
    }
    if (backend == Backend.CLUSTER && search == null) {
      throw new IllegalArgumentException("the cluster backend needs an OpenSearch cluster (rag.opensearch.urls)");
    }
    if (poolSize < 1 || poolSize > 200) {
      throw new IllegalArgumentException("illegal pool size " + poolSize + ", must be in 1..200");
    }
  }

  public StorageConfig(Backend backend, Path dataDir, String jdbcUrl, String username, String password, int poolSize,
      Bm25Params bm25, HnswParams hnsw) {
    this(backend, dataDir, jdbcUrl, username, password, poolSize, bm25, hnsw, null);
  }

  public static StorageConfig embedded(Path dataDir) {
    return new StorageConfig(Backend.EMBEDDED, dataDir, null, null, null, 4, null, null);
  }

  public static StorageConfig postgres(Path dataDir, String jdbcUrl, String username, String password) {
    return new StorageConfig(Backend.POSTGRES, dataDir, jdbcUrl, username, password, 8, null, null);
  }

  /** PostgreSQL for the catalog and OpenSearch for the indexes. */
  public static StorageConfig cluster(Path dataDir, String jdbcUrl, String username, String password,
      OpenSearchSettings search) {
    return new StorageConfig(Backend.CLUSTER, dataDir, jdbcUrl, username, password, 8, null, null, search);
  }

  @Override
  public String toString() {
    return "StorageConfig[backend=" + backend + ", dataDir=" + dataDir + ", jdbcUrl=" + jdbcUrl + ", username="
        + username + ", password=" + (password == null ? "<none>" : "****") + ", poolSize=" + poolSize
        + ", bm25=" + bm25 + ", hnsw=" + hnsw + (search == null ? "" : ", search=" + search) + "]";
  }
}
