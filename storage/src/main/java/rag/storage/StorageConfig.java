package rag.storage;

import java.nio.file.Path;
import java.util.Objects;
import rag.storage.lexical.Bm25Params;
import rag.storage.vector.HnswParams;

/**
 * Where and how the archive is stored. {@link Backend#EMBEDDED} keeps everything under
 * {@code dataDir}; {@link Backend#POSTGRES} keeps the catalog and vectors in PostgreSQL at
 * {@code jdbcUrl} and only the lexical index under {@code dataDir}.
 */
public record StorageConfig(Backend backend, Path dataDir, String jdbcUrl, String username, String password,
    int poolSize, Bm25Params bm25, HnswParams hnsw) {

  public enum Backend { EMBEDDED, POSTGRES }

  public StorageConfig {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(dataDir, "dataDir");
    bm25 = bm25 == null ? Bm25Params.DEFAULT : bm25;
    hnsw = hnsw == null ? HnswParams.DEFAULT : hnsw;
    if (backend == Backend.POSTGRES && (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:"))) {
      throw new IllegalArgumentException("illegal JDBC URL '" + jdbcUrl
          + "': the postgres backend needs a jdbc:postgresql://host:port/database URL");
    }
    if (poolSize < 1 || poolSize > 200) {
      throw new IllegalArgumentException("illegal pool size " + poolSize + ", must be in 1..200");
    }
  }

  public static StorageConfig embedded(Path dataDir) {
    return new StorageConfig(Backend.EMBEDDED, dataDir, null, null, null, 4, null, null);
  }

  public static StorageConfig postgres(Path dataDir, String jdbcUrl, String username, String password) {
    return new StorageConfig(Backend.POSTGRES, dataDir, jdbcUrl, username, password, 8, null, null);
  }

  @Override
  public String toString() {
    return "StorageConfig[backend=" + backend + ", dataDir=" + dataDir + ", jdbcUrl=" + jdbcUrl + ", username="
        + username + ", password=" + (password == null ? "<none>" : "****") + ", poolSize=" + poolSize
        + ", bm25=" + bm25 + ", hnsw=" + hnsw + "]";
  }
}
