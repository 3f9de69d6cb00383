package rag.storage.vector;

import static rag.storage.jdbc.Jdbc.execute;
import static rag.storage.jdbc.Jdbc.params;
import static rag.storage.jdbc.Jdbc.query;

import com.pgvector.PGvector;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.copy.PGCopyOutputStream;
import org.postgresql.core.BaseConnection;
import rag.storage.catalog.SchemaMigrations;
import rag.storage.catalog.StorageException;
import rag.storage.jdbc.Jdbc;
import rag.storage.model.ChunkId;
import rag.storage.model.Document;
import rag.storage.model.Hit;
import rag.storage.model.SearchFilter;

/**
 * The vectors of one {@link VectorGeneration} in PostgreSQL with pgvector: table {@code chunk_vectors_<id>} with an
 * HNSW index ({@code vector_cosine_ops}). The table must exist ({@link PgGenerationStores#open} has
 * {@link SchemaMigrations#ensureVectorTable} create it); the store builds the HNSW index. The connections must have
 * {@code hnsw.ef_search} and {@code hnsw.iterative_scan} set (see {@link rag.storage.ArchiveFactory}), so filtered
 * searches still return k rows.
 */
public final class PgVectorStore implements VectorStore {
  private static final String UPDATE_FAILED = "vector store update failed";

  private final Jdbc jdbc;
  private final int dimension;
  private final HnswParams hnsw;
  private final String table;
  private final String indexName;

  /** Opens the generation's table and builds its HNSW index when missing. */
  public PgVectorStore(DataSource dataSource, VectorGeneration generation, HnswParams hnsw) {
    requireIndexable(generation);
    this.jdbc = new Jdbc(dataSource);
    this.dimension = generation.dimension();
    this.hnsw = hnsw;
    this.table = SchemaMigrations.vectorTable(generation);
    this.indexName = table + "_hnsw";
    buildIndex();
  }

  static void requireIndexable(VectorGeneration generation) {
    if (generation.dimension() > 2000) {
      throw new IllegalArgumentException("illegal vector dimension " + generation.dimension()
          + ", must be in 1..2000 (pgvector's limit for an HNSW index)");
    }
  }

  /** Creates the HNSW index when it is missing; with 1 GB of maintenance memory the graph is built in memory. */
  public void buildIndex() {
    jdbc.withConnection("cannot build the HNSW index on " + table, c -> {
      execute(c, "SET maintenance_work_mem = '1GB'");
      execute(c, "SET max_parallel_maintenance_workers = "
          + Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
      execute(c, "CREATE INDEX IF NOT EXISTS " + indexName + " ON " + table + " USING hnsw (embedding vector_cosine_ops)"
          + " WITH (m = " + hnsw.m() + ", ef_construction = " + hnsw.efConstruction() + ")");
      // fresh statistics, or the planner may sort a whole collection instead of using the index
      execute(c, "ANALYZE " + table);
      execute(c, "RESET maintenance_work_mem");
      execute(c, "RESET max_parallel_maintenance_workers");
      return null;
    });
  }

  /** Drops the HNSW index, so that a bulk load is not slowed by per-row graph inserts; rebuild with {@link #buildIndex()}. */
  public void dropIndex() {
    jdbc.withConnection("cannot drop the HNSW index", c -> {
      execute(c, "DROP INDEX IF EXISTS " + indexName);
      return null;
    });
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
    jdbc.inTransaction("cannot store vectors of document " + document.id(), c -> {
      Jdbc.update(c, "DELETE FROM " + table + " WHERE document_id = ? AND version = ?",
          params(document.id(), document.version()));
      Jdbc.batch(c, "INSERT INTO " + table + " (chunk_id, document_id, version, collection, media_type, source_path,"
          + " embedding) VALUES (?, ?, ?, ?, ?, ?, ?)", chunks, (ins, e) -> {
            ins.setString(1, e.chunk().id());
            ins.setString(2, document.id());
            ins.setInt(3, document.version());
            ins.setString(4, document.collection());
            ins.setString(5, document.mediaType());
            ins.setString(6, document.sourcePath());
            ins.setObject(7, new PGvector(e.vector()));
          });
      return null;
    });
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
  public void deleteDocuments(Collection<String> documentIds) {
    if (documentIds.isEmpty()) {
      return;
    }
    jdbc.withConnection(UPDATE_FAILED, c -> Jdbc.update(c, "DELETE FROM " + table + " WHERE document_id = ANY (?)",
        ps -> ps.setArray(1, c.createArrayOf("text", documentIds.toArray()))));
  }

  private void update(String sql, Object... params) {
    jdbc.update(UPDATE_FAILED, sql, params(params));
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
    if (f.readable() != null) {
      where.append(" AND collection = ANY(?)");
      params.add(f.readable());
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
    List<Hit> hits = new ArrayList<>(jdbc.withConnection("vector search failed", c -> query(c, sql, ps -> {
      int i = 1;
      ps.setObject(i++, target);
      for (Object p : params) {
        if (p instanceof Set<?> set) {
          ps.setArray(i++, c.createArrayOf("text", set.toArray()));
        } else {
          ps.setObject(i++, p);
        }
      }
      ps.setObject(i++, target);
      ps.setInt(i, query.k());
    }, rs -> new Hit(rs.getString(1), rs.getString(2), rs.getInt(3), (float) (1 - rs.getDouble(4))))));
    // iterative scans in relaxed order may return rows slightly out of order
    hits.sort(Comparator.comparingDouble((Hit h) -> h.score()).reversed());
    return hits;
  }

  @Override
  public Set<String> versionKeys() {
    return new HashSet<>(jdbc.query("cannot list vector versions", "SELECT DISTINCT document_id, version FROM " + table,
        params(), rs -> ChunkId.versionKey(rs.getString(1), rs.getInt(2))));
  }

  @Override
  public long vectorCount() {
    return jdbc.query("cannot count vectors", "SELECT count(*) FROM " + table, params(), rs -> rs.getLong(1)).get(0);
  }

  @Override
  public long vectorCount(String documentId, int version) {
    return jdbc.query("cannot count the vectors of " + documentId, "SELECT count(*) FROM " + table
        + " WHERE document_id = ? AND version = ?", params(documentId, version), rs -> rs.getLong(1)).get(0);
  }

  @Override
  public String optimize() {
    return jdbc.withConnection("cannot analyze " + table, c -> {
      execute(c, "ANALYZE " + table);
      return "analyzed " + table;
    });
  }

  /**
   * Loads many versions' vectors with one binary COPY (about 20 times faster than row inserts).
   * For bulk (re-)indexing: the versions must have no vectors yet; drop the HNSW index first and
   * {@link #buildIndex() build} it afterwards.
   */
  public void bulkLoad(List<DocumentVectors> documents) {
    String failure = "bulk load into " + table + " failed";
    jdbc.inTransaction(failure, c -> {
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
          new PGCopyOutputStream(c.unwrap(BaseConnection.class),
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
      } catch (IOException e) {
        throw new StorageException(failure + ": " + e.getMessage(), e);
      }
      return null;
    });
  }

  private static void writeText(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
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
