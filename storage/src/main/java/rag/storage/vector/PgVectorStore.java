package rag.storage.vector;

import com.pgvector.PGvector;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import rag.storage.catalog.StorageException;
import rag.storage.model.ChunkId;
import rag.storage.model.Document;
import rag.storage.model.Hit;
import rag.storage.model.SearchFilter;

/**
 * The vectors of one {@link VectorGeneration} in PostgreSQL with pgvector: table {@code chunk_vectors_<id>} with an
 * HNSW index ({@code vector_cosine_ops}). The connections must have {@code hnsw.ef_search} and
 * {@code hnsw.iterative_scan} set (see {@link rag.storage.ArchiveFactory}), so filtered searches still return k rows.
 */
public final class PgVectorStore implements VectorStore {
  private final DataSource dataSource;
  private final int dimension;
  private final HnswParams hnsw;
  private final String table;
  private final String indexName;

  public PgVectorStore(DataSource dataSource, VectorGeneration generation, HnswParams hnsw) {
    if (generation.dimension() > 2000) {
      throw new IllegalArgumentException("illegal vector dimension " + generation.dimension()
          + ", must be in 1..2000 (pgvector's limit for an HNSW index)");
    }
    this.dataSource = dataSource;
    this.dimension = generation.dimension();
    this.hnsw = hnsw;
    this.table = tableOf(generation);
    this.indexName = table + "_hnsw";
    initialize(generation);
  }

  /** The table holding a generation's vectors. */
  static String tableOf(VectorGeneration generation) {
    return "chunk_vectors_" + generation.id();
  }

  private void initialize(VectorGeneration generation) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(7401)");
        s.execute("CREATE EXTENSION IF NOT EXISTS vector");
        s.execute("CREATE TABLE IF NOT EXISTS " + table + " (chunk_id TEXT PRIMARY KEY,"
            + " document_id TEXT NOT NULL, version INTEGER NOT NULL, collection TEXT NOT NULL,"
            + " media_type TEXT NOT NULL, source_path TEXT NOT NULL, embedding vector(" + dimension + ") NOT NULL)");
        // pgvector keeps a vector column's dimension as its type modifier
        try (ResultSet rs = s.executeQuery("SELECT atttypmod FROM pg_attribute WHERE attrelid = '" + table
            + "'::regclass AND attname = 'embedding'")) {
          if (rs.next() && rs.getInt(1) != dimension) {
            int stored = rs.getInt(1);
            c.rollback();
            throw new DimensionMismatchException("PostgreSQL table " + table, stored, "unknown", dimension,
                generation.model());
          }
        }
        s.execute("CREATE INDEX IF NOT EXISTS " + table + "_document ON " + table + " (document_id, version)");
        s.execute("CREATE INDEX IF NOT EXISTS " + table + "_collection ON " + table + " (collection)");
      }
      c.commit();
    } catch (SQLException e) {
      throw new StorageException("cannot initialize the pgvector store " + table + ": " + e.getMessage(), e);
    }
    buildIndex();
  }

  /** Creates the HNSW index when it is missing; with 1 GB of maintenance memory the graph is built in memory. */
  public void buildIndex() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("SET maintenance_work_mem = '1GB'");
      s.execute("SET max_parallel_maintenance_workers = " + Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
      s.execute("CREATE INDEX IF NOT EXISTS " + indexName + " ON " + table + " USING hnsw (embedding vector_cosine_ops)"
          + " WITH (m = " + hnsw.m() + ", ef_construction = " + hnsw.efConstruction() + ")");
      // fresh statistics, or the planner may sort a whole collection instead of using the index
      s.execute("ANALYZE " + table);
      s.execute("RESET maintenance_work_mem");
      s.execute("RESET max_parallel_maintenance_workers");
    } catch (SQLException e) {
      throw new StorageException("cannot build the HNSW index on " + table + ": " + e.getMessage(), e);
    }
  }

  /** Drops the HNSW index, so that a bulk load is not slowed by per-row graph inserts; rebuild with {@link #buildIndex()}. */
  public void dropIndex() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP INDEX IF EXISTS " + indexName);
    } catch (SQLException e) {
      throw new StorageException("cannot drop the HNSW index: " + e.getMessage(), e);
    }
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public void upsert(Document document, List<EmbeddedChunk> chunks) {
    for (EmbeddedChunk e : chunks) {
      if (e.vector().length != dimension) {
        throw new IllegalArgumentException("vector of chunk " + e.chunk().id() + " has dimension "
            + e.vector().length + ", the store's is " + dimension);
      }
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement del = c.prepareStatement(
            "DELETE FROM " + table + " WHERE document_id = ? AND version = ?")) {
          del.setString(1, document.id());
          del.setInt(2, document.version());
          del.executeUpdate();
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + table + " (chunk_id, document_id, version,"
            + " collection, media_type, source_path, embedding) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
          int pending = 0;
          for (EmbeddedChunk e : chunks) {
            ins.setString(1, e.chunk().id());
            ins.setString(2, document.id());
            ins.setInt(3, document.version());
            ins.setString(4, document.collection());
            ins.setString(5, document.mediaType());
            ins.setString(6, document.sourcePath());
            ins.setObject(7, new PGvector(e.vector()));
            ins.addBatch();
            if (++pending == 1000) {
              ins.executeBatch();
              pending = 0;
            }
          }
          if (pending > 0) {
            ins.executeBatch();
          }
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StorageException("cannot store vectors of document " + document.id() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void deleteVersion(String documentId, int version) {
    update("DELETE FROM " + table + " WHERE document_id = ? AND version = ?", documentId, version);
  }

  @Override
  public void deleteDocument(String documentId) {
    update("DELETE FROM " + table + " WHERE document_id = ?", documentId);
  }

  @Override
  public void deleteCollection(String collection) {
    update("DELETE FROM " + table + " WHERE collection = ?", collection);
  }

  @Override
  public void deleteDocuments(java.util.Collection<String> documentIds) {
    if (documentIds.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE document_id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("text", documentIds.toArray()));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StorageException("vector store update failed: " + e.getMessage(), e);
    }
  }

  private void update(String sql, Object... params) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StorageException("vector store update failed: " + e.getMessage(), e);
    }
  }

  @Override
  public List<Hit> nearest(VectorQuery query) {
    if (query.vector().length != dimension) {
      throw new IllegalArgumentException("query vector has dimension " + query.vector().length
          + ", the store's is " + dimension);
    }
    SearchFilter f = query.filter();
    StringBuilder where = new StringBuilder();
    List<Object> params = new ArrayList<>();
    if (f.collection() != null) {
      where.append(" AND collection = ?");
      params.add(f.collection());
    }
    if (!f.documentIds().isEmpty()) {
      where.append(" AND document_id = ANY(?)");
      params.add(f.documentIds());
    }
    if (!f.mediaTypes().isEmpty()) {
      where.append(" AND media_type = ANY(?)");
      params.add(f.mediaTypes());
    }
    if (f.pathPrefix() != null) {
      where.append(" AND source_path LIKE ? ESCAPE '\\'");
      params.add(f.pathPrefix().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
    }
    String sql = "SELECT chunk_id, document_id, version, embedding <=> ? AS distance FROM " + table
        + (where.isEmpty() ? "" : " WHERE " + where.substring(5)) + " ORDER BY embedding <=> ? LIMIT ?";
    PGvector target = new PGvector(query.vector());
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setObject(i++, target);
      for (Object p : params) {
        if (p instanceof Set<?> set) {
          Array array = c.createArrayOf("text", set.toArray());
          ps.setArray(i++, array);
        } else {
          ps.setObject(i++, p);
        }
      }
      ps.setObject(i++, target);
      ps.setInt(i, query.k());
      List<Hit> hits = new ArrayList<>(query.k());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          hits.add(new Hit(rs.getString(1), rs.getString(2), rs.getInt(3), (float) (1 - rs.getDouble(4))));
        }
      }
      // iterative scans in relaxed order may return rows slightly out of order
      hits.sort(Comparator.comparingDouble((Hit h) -> h.score()).reversed());
      return hits;
    } catch (SQLException e) {
      throw new StorageException("vector search failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Set<String> versionKeys() {
    Set<String> keys = new HashSet<>();
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT DISTINCT document_id, version FROM " + table)) {
      while (rs.next()) {
        keys.add(ChunkId.versionKey(rs.getString(1), rs.getInt(2)));
      }
    } catch (SQLException e) {
      throw new StorageException("cannot list vector versions: " + e.getMessage(), e);
    }
    return keys;
  }

  @Override
  public long vectorCount() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StorageException("cannot count vectors: " + e.getMessage(), e);
    }
  }

  @Override
  public long vectorCount(String documentId, int version) {
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
        "SELECT count(*) FROM " + table + " WHERE document_id = ? AND version = ?")) {
      s.setString(1, documentId);
      s.setInt(2, version);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new StorageException("cannot count the vectors of " + documentId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String optimize() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("ANALYZE " + table);
      return "analyzed " + table;
    } catch (SQLException e) {
      throw new StorageException("cannot analyze " + table + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads many versions' vectors with one binary COPY (about 20 times faster than row inserts).
   * For bulk (re-)indexing: the versions must have no vectors yet; drop the HNSW index first and
   * {@link #buildIndex() build} it afterwards.
   */
  public void bulkLoad(List<DocumentVectors> documents) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (var out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
          new org.postgresql.copy.PGCopyOutputStream(c.unwrap(org.postgresql.core.BaseConnection.class),
              "COPY " + table + " (chunk_id, document_id, version, collection, media_type, source_path, embedding)"
                  + " FROM STDIN (FORMAT BINARY)"), 1 << 20))) {
        out.write(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0});
        out.writeInt(0);
        out.writeInt(0);
        for (DocumentVectors dv : documents) {
          Document d = dv.document();
          for (EmbeddedChunk e : dv.chunks()) {
            if (e.vector().length != dimension) {
              throw new IllegalArgumentException("vector of chunk " + e.chunk().id() + " has dimension "
                  + e.vector().length + ", the store's is " + dimension);
            }
            out.writeShort(7);
            writeText(out, e.chunk().id());
            writeText(out, d.id());
            out.writeInt(4);
            out.writeInt(d.version());
            writeText(out, d.collection());
            writeText(out, d.mediaType());
            writeText(out, d.sourcePath());
            out.writeInt(4 + 4 * dimension);
            out.writeShort(dimension);
            out.writeShort(0);
            for (float x : e.vector()) {
              out.writeFloat(x);
            }
          }
        }
        out.writeShort(-1);
      }
      c.commit();
    } catch (SQLException | java.io.IOException e) {
      throw new StorageException("bulk load into " + table + " failed: " + e.getMessage(), e);
    }
  }

  private static void writeText(java.io.DataOutputStream out, String s) throws java.io.IOException {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  @Override
  public void close() {
    // the data source belongs to the archive
  }

  @Override
  public String toString() {
    return "pgvector table " + table + " (HNSW m=" + hnsw.m() + ", ef_construction=" + hnsw.efConstruction() + ")";
  }
}
