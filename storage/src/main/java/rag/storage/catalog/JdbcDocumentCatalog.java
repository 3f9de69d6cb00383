package rag.storage.catalog;

import static rag.storage.jdbc.Jdbc.getInteger;
import static rag.storage.jdbc.Jdbc.getLong;
import static rag.storage.jdbc.Jdbc.params;
import static rag.storage.jdbc.Jdbc.placeholders;
import static rag.storage.jdbc.Jdbc.query;
import static rag.storage.jdbc.Jdbc.queryFirst;
import static rag.storage.jdbc.Jdbc.setInteger;
import static rag.storage.jdbc.Jdbc.setLong;
import static rag.storage.jdbc.Jdbc.update;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import rag.storage.jdbc.Jdbc;
import rag.storage.jobs.FileError;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.JobFile;
import rag.storage.model.Chunk;
import rag.storage.model.ChunkId;
import rag.storage.model.CollectionNames;
import rag.storage.model.CollectionDeletion;
import rag.storage.model.CollectionStats;
import rag.storage.model.Document;
import rag.storage.model.DocumentStatus;
import rag.storage.model.Provenance;
import rag.storage.vector.VectorGeneration;

/** The catalog on PostgreSQL or on an embedded SQLite file; one SQL dialect-neutral implementation. */
public final class JdbcDocumentCatalog implements DocumentCatalog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int IN_LIST_MAX = 500;
  private static final String DOCUMENT_COLUMNS = "id, version, collection, source_name, source_path, media_type,"
      + " sha256, size_bytes, title, language, page_count, token_count, chunk_count, status, error, created_at,"
      + " updated_at, metadata";
  /** Tombstone names start with a character no collection name may have, so they never collide with one. */
  private static final String TOMBSTONE_PREFIX = "~deleted-";
  private static final String TOMBSTONES = "SELECT name FROM collections WHERE deleted_at IS NOT NULL";
  private static final String FINAL_FILE_STATUSES = "('DONE', 'UNCHANGED', 'FAILED')";
  private static final String CHUNK_COLUMNS = "document_id, version, ordinal, text, token_count, page_start,"
      + " page_end, line_start, line_end, start_ms, end_ms, speaker, section, overlap_chars, overlap_tokens";

  /**
   * How long one drain holds the search outbox: a drain that outlives it (or its instance dying) lets another
   * instance apply the same entries, which is harmless (applying is idempotent), only wasted work.
   */
  private static final java.time.Duration OUTBOX_LEASE = java.time.Duration.ofMinutes(2);

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final boolean searchOutbox;
  /** This catalog's name as the search outbox's lease holder. */
  private final String outboxOwner = UUID.randomUUID().toString();

  /** Applies pending schema migrations. The data source stays the caller's to close. */
  public JdbcDocumentCatalog(DataSource dataSource, Dialect dialect) {
    this(dataSource, dialect, false);
  }

  /** @param searchOutbox record what the search index needs ({@link #keepsSearchOutbox}); PostgreSQL only */
  public JdbcDocumentCatalog(DataSource dataSource, Dialect dialect, boolean searchOutbox) {
    if (searchOutbox && dialect != Dialect.POSTGRES) {
      throw new IllegalArgumentException("the search outbox is kept on PostgreSQL only");
    }
    this.jdbc = new Jdbc(dataSource);
    this.dialect = dialect;
    this.searchOutbox = searchOutbox;
    SchemaMigrations.apply(dataSource, dialect);
  }

  public Dialect dialect() {
    return dialect;
  }

  private <T> T inTransaction(String what, Jdbc.Work<T> work) {
    return jdbc.inTransaction("catalog: cannot " + what, work);
  }

  private <T> T read(String what, Jdbc.Work<T> work) {
    return jdbc.withConnection("catalog: cannot " + what, work);
  }

  @Override
  public boolean ensureCollection(String name) {
    CollectionNames.requireValidName(name);
    return inTransaction("create collection " + name, c -> ensureCollection(c, name));
  }

  private static boolean ensureCollection(Connection c, String name) throws SQLException {
    return update(c, "INSERT INTO collections (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        params(name, System.currentTimeMillis())) == 1;
  }

  /** Row locks on PostgreSQL; SQLite serializes writing transactions (IMMEDIATE) and has none. */
  private String forUpdate() {
    return dialect == Dialect.POSTGRES ? " FOR UPDATE" : "";
  }

  @Override
  public Document stage(Document draft, List<Chunk> chunks, JobFile writtenFor) {
    return inTransaction("stage " + draft.sourcePath(), c -> stage(c, draft, chunks, writtenFor));
  }

  @Override
  public List<Document> stageAll(List<Staging> stagings) {
    return inTransaction("stage " + stagings.size() + " documents", c -> {
      // the paths' locks in one order, so that two batches of the same paths wait for each other, not deadlock
      for (String path : new java.util.TreeSet<>(stagings.stream().map(s -> pathLockKey(s.draft())).toList())) {
        lockPath(c, path);
      }
      List<Document> staged = new ArrayList<>(stagings.size());
      for (Staging s : stagings) {
        staged.add(stage(c, s.draft(), s.chunks(), s.writtenFor()));
      }
      return staged;
    });
  }

  private static String pathLockKey(Document draft) {
    return draft.collection() + '/' + draft.sourcePath(); // no collection name has a '/'
  }

  /**
   * On PostgreSQL, where several instances stage at once: holds the path until this transaction ends, so that two
   * instances staging the first version of the same path at once give it one document id (the second sees the
   * first's staged row), not two ids that could not both be published. SQLite serializes writing transactions.
   */
  private void lockPath(Connection c, String key) throws SQLException {
    if (dialect == Dialect.POSTGRES) {
      queryFirst(c, "SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(?, 7401))", params(key), rs -> rs.getInt(1));
    }
  }

  private Document stage(Connection c, Document draft, List<Chunk> chunks, JobFile writtenFor) throws SQLException {
    ensureCollection(c, draft.collection());
    lockPath(c, pathLockKey(draft));
    // after ensureCollection: on PostgreSQL that waits for a deletion of the collection under way, so this
    // sees the file cancelled by it, and rolling back leaves no collection created again
    if (writtenFor != null && isFinal(c, writtenFor)) {
      throw new CollectionDeletedException(draft.collection(), "'" + draft.sourcePath() + "'");
    }
    String stagedFor = writtenFor == null ? null : writtenFor.jobId() + "/" + writtenFor.seq();
    LatestVersion takenOver = null;
    if (stagedFor != null) {
      // staged for this file by a worker that lost the file (it died; its lease ran out): this one takes the version
      // number over, and its index entries, which have the same keys, are overwritten
      for (LatestVersion left : query(c, "SELECT id, version FROM documents WHERE staged_for = ? AND published = 0",
          params(stagedFor), rs -> new LatestVersion(rs.getString(1), rs.getInt(2)))) {
        update(c, "DELETE FROM chunks WHERE document_id = ? AND version = ?", params(left.id(), left.version()));
        update(c, "DELETE FROM documents WHERE id = ? AND version = ?", params(left.id(), left.version()));
        takenOver = left;
      }
    }
    Optional<LatestVersion> latest = queryFirst(c,
        "SELECT id, MAX(version) FROM documents WHERE collection = ? AND source_path = ? GROUP BY id",
        params(draft.collection(), draft.sourcePath()), rs -> new LatestVersion(rs.getString(1), rs.getInt(2)));
    if (latest.isEmpty() && takenOver != null) { // a first version: its id stays, like its number
      latest = Optional.of(new LatestVersion(takenOver.id(), takenOver.version() - 1));
    }
    String id = latest.map(LatestVersion::id).orElseGet(() -> UUID.randomUUID().toString());
    int version = latest.map(v -> v.version() + 1).orElse(1);
    long tokens = 0;
    for (Chunk chunk : chunks) {
      tokens += chunk.newTokens();
    }
    Instant now = Instant.now();
    Document staged = draft.withIdentity(id, version, now, now, tokens, chunks.size());
    insertDocument(c, staged, stagedFor);
    insertChunks(c, id, version, chunks);
    return staged;
  }

  private record LatestVersion(String id, int version) {}

  private record LockedVersion(int version, boolean published, String collection) {}

  private static boolean isFinal(Connection c, JobFile file) throws SQLException {
    return queryFirst(c, "SELECT status FROM ingest_files WHERE job_id = ? AND seq = ?",
        params(file.jobId(), file.seq()), rs -> FileStatus.valueOf(rs.getString(1)).isFinal()).orElse(false);
  }

  /** Inserts an unpublished version; {@code stagedFor} names the ingest file ({@code <job>/<seq>}) or is null. */
  private void insertDocument(Connection c, Document d, String stagedFor) throws SQLException {
    update(c, "INSERT INTO documents (" + DOCUMENT_COLUMNS
        + ", staged_for, published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)", ps -> {
      int i = 1;
      ps.setString(i++, d.id());
      ps.setInt(i++, d.version());
      ps.setString(i++, d.collection());
      ps.setString(i++, d.sourceName());
      ps.setString(i++, d.sourcePath());
      ps.setString(i++, d.mediaType());
      ps.setString(i++, d.sha256());
      ps.setLong(i++, d.sizeBytes());
      ps.setString(i++, d.title());
      ps.setString(i++, d.language());
      setInteger(ps, i++, d.pageCount());
      ps.setLong(i++, d.tokenCount());
      ps.setInt(i++, d.chunkCount());
      ps.setString(i++, d.status().name());
      ps.setString(i++, d.error());
      ps.setLong(i++, d.createdAt().toEpochMilli());
      ps.setLong(i++, d.updatedAt().toEpochMilli());
      ps.setString(i++, toJson(d.metadata()));
      ps.setString(i, stagedFor);
    });
  }

  private static void insertChunks(Connection c, String documentId, int version, List<Chunk> chunks)
      throws SQLException {
    Jdbc.batch(c, "INSERT INTO chunks (" + CHUNK_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        chunks, (ps, chunk) -> {
          Provenance p = chunk.provenance();
          int i = 1;
          ps.setString(i++, documentId);
          ps.setInt(i++, version);
          ps.setInt(i++, chunk.ordinal());
          ps.setString(i++, chunk.text());
          ps.setInt(i++, chunk.tokenCount());
          setInteger(ps, i++, p.pageStart());
          setInteger(ps, i++, p.pageEnd());
          setInteger(ps, i++, p.lineStart());
          setInteger(ps, i++, p.lineEnd());
          setLong(ps, i++, p.startMs());
          setLong(ps, i++, p.endMs());
          ps.setString(i++, p.speaker());
          ps.setString(i++, p.section());
          ps.setInt(i++, chunk.overlapChars());
          ps.setInt(i, chunk.overlapTokens());
        });
  }

  @Override
  public Optional<Integer> publish(String documentId, int version, boolean indexed) {
    return inTransaction("publish document " + documentId + " version " + version,
        c -> publish(c, documentId, version, indexed));
  }

  @Override
  public List<Optional<Integer>> publishAll(List<Document> staged, boolean indexed) {
    return inTransaction("publish " + staged.size() + " documents", c -> {
      // documents locked in id order, as deleteCollection locks them, so that two such transactions wait for each
      // other instead of deadlocking
      Map<String, Optional<Integer>> replaced = new HashMap<>();
      for (Document d : staged.stream().sorted(Comparator.comparing(Document::id)).toList()) {
        replaced.put(d.id(), publish(c, d.id(), d.version(), indexed));
      }
      return staged.stream().map(d -> replaced.get(d.id())).toList();
    });
  }

  private Optional<Integer> publish(Connection c, String documentId, int version, boolean indexed)
      throws SQLException {
    // lock the document's versions in (id, version) order, as deleteCollection does, so that the two wait
    // for each other instead of deadlocking; a collection deleted meanwhile has moved them to its tombstone
    Integer previous = null;
    String collection = null;
    for (LockedVersion row : query(c, "SELECT version, published, collection FROM documents WHERE id = ?"
        + " ORDER BY version" + forUpdate(), params(documentId),
        rs -> new LockedVersion(rs.getInt(1), rs.getInt(2) == 1, rs.getString(3)))) {
      if (row.published()) {
        previous = row.version();
      }
      if (row.version() == version) {
        collection = row.collection();
      }
    }
    if (collection == null) {
      throw new StorageException("no staged version " + version + " of document " + documentId);
    }
    String deleted = deletedName(c, collection);
    if (deleted != null) {
      throw new CollectionDeletedException(deleted, "document " + documentId);
    }
    if (previous != null && previous == version) {
      return Optional.of(previous);
    }
    if (previous != null) {
      deleteVersion(c, documentId, previous);
    }
    if (update(c, "UPDATE documents SET published = 1, updated_at = ? WHERE id = ? AND version = ?",
        params(System.currentTimeMillis(), documentId, version)) != 1) {
      throw new StorageException("no staged version " + version + " of document " + documentId);
    }
    if (!indexed || previous != null) {
      recordInOutbox(c, SearchOutbox.Kind.PUBLISH, documentId, version, null, !indexed);
    }
    return Optional.ofNullable(previous);
  }

  private void recordInOutbox(Connection c, SearchOutbox.Kind kind, String documentId, int version,
      Integer generation, boolean pending) throws SQLException {
    if (!searchOutbox) {
      return;
    }
    update(c, "INSERT INTO search_outbox (kind, document_id, version, generation, pending, created_at)"
        + " VALUES (?, ?, ?, ?, ?, ?)", ps -> {
          ps.setString(1, kind.name());
          ps.setString(2, documentId);
          ps.setInt(3, version);
          setInteger(ps, 4, generation);
          ps.setInt(5, pending ? 1 : 0);
          ps.setLong(6, System.currentTimeMillis());
        });
  }

  @Override
  public boolean keepsSearchOutbox() {
    return searchOutbox;
  }

  @Override
  public int drainSearchOutbox(int max, Function<List<SearchOutbox.Entry>, Set<Long>> apply) {
    if (!searchOutbox) {
      return 0;
    }
    long now = System.currentTimeMillis();
    if (jdbc.update("catalog: cannot take the search outbox", "UPDATE search_outbox_lease SET owner = ?,"
        + " lease_until = ? WHERE id = 1 AND (lease_until < ? OR owner = ?)",
        params(outboxOwner, now + OUTBOX_LEASE.toMillis(), now, outboxOwner)) != 1) {
      return 0; // another instance is applying it
    }
    try {
      List<SearchOutbox.Entry> entries = read("read the search outbox", c -> query(c, "SELECT o.id, o.kind,"
          + " o.document_id, o.version, o.generation, o.pending, o.created_at, d.version AS published_version,"
          + " d.vector_generation FROM search_outbox o"
          + " LEFT JOIN documents d ON d.id = o.document_id AND d.version = o.version AND d.published = 1"
          + " ORDER BY o.id LIMIT ?", params(max), rs -> new SearchOutbox.Entry(rs.getLong(1),
              SearchOutbox.Kind.valueOf(rs.getString(2)), rs.getString(3), rs.getInt(4), getInteger(rs, "generation"),
              rs.getInt(6) == 1, rs.getLong(7), getInteger(rs, "published_version") != null,
              getInteger(rs, "vector_generation"))));
      if (entries.isEmpty()) {
        return 0;
      }
      Set<Long> left = apply.apply(entries);
      // by id, not "up to the last id read": ids are taken at insert, so a lower one may commit after this read
      List<Long> applied = entries.stream().map(SearchOutbox.Entry::id).filter(id -> !left.contains(id)).toList();
      for (List<Long> part : partition(applied)) {
        jdbc.update("catalog: cannot forget applied search outbox entries", "DELETE FROM search_outbox WHERE id IN ("
            + placeholders(part.size()) + ")", params(part.toArray()));
      }
      return applied.size();
    } finally {
      try {
        jdbc.update("catalog: cannot release the search outbox", "UPDATE search_outbox_lease SET lease_until = 0"
            + " WHERE id = 1 AND owner = ?", params(outboxOwner));
      } catch (StorageException e) {
        // the database went away: the lease runs out
      }
    }
  }

  @Override
  public SearchOutbox.Backlog searchOutboxBacklog() {
    if (!searchOutbox) {
      return new SearchOutbox.Backlog(0, 0);
    }
    return read("count the search outbox", c -> queryFirst(c, "SELECT COUNT(*), MIN(created_at) FROM search_outbox",
        params(), rs -> new SearchOutbox.Backlog(rs.getLong(1),
            rs.getLong(1) == 0 ? 0 : Math.max(0, System.currentTimeMillis() - rs.getLong(2)))).orElseThrow());
  }

  /** The name a tombstone's collection had; null when {@code collection} is a live collection. */
  private static String deletedName(Connection c, String collection) throws SQLException {
    return queryFirst(c, "SELECT deleted_name FROM collections WHERE name = ? AND deleted_at IS NOT NULL",
        params(collection), rs -> rs.getString(1)).orElse(null);
  }

  private static void deleteVersion(Connection c, String documentId, int version) throws SQLException {
    for (String table : List.of("chunks WHERE document_id = ?", "documents WHERE id = ?")) {
      update(c, "DELETE FROM " + table + " AND version = ?", params(documentId, version));
    }
  }

  @Override
  public void discard(String documentId, int version) {
    inTransaction("discard document " + documentId + " version " + version, c -> {
      if (queryFirst(c, "SELECT published FROM documents WHERE id = ? AND version = ?",
          params(documentId, version), rs -> rs.getInt(1) == 1).orElse(false)) {
        throw new StorageException("version " + version + " of document " + documentId
            + " is published; delete the document instead");
      }
      deleteVersion(c, documentId, version);
      return null;
    });
  }

  @Override
  public boolean setStatus(String documentId, int version, DocumentStatus status, String error) {
    return inTransaction("set status of document " + documentId, c -> update(c,
        "UPDATE documents SET status = ?, error = ?, updated_at = ?"
            + (status == DocumentStatus.SEARCHABLE ? ", vector_generation = NULL" : "")
            + " WHERE id = ? AND version = ? AND published = 1",
        ps -> {
          ps.setString(1, status.name());
          ps.setString(2, error);
          ps.setLong(3, System.currentTimeMillis());
          ps.setString(4, documentId);
          ps.setInt(5, version);
        }) == 1);
  }

  @Override
  public boolean delete(String documentId) {
    return inTransaction("delete document " + documentId, c -> {
      // the versions in the order publish and deleteCollection lock them
      query(c, "SELECT version FROM documents WHERE id = ? ORDER BY version" + forUpdate(), params(documentId),
          rs -> rs.getInt(1));
      update(c, "DELETE FROM chunks WHERE document_id = ?", params(documentId));
      boolean deleted = update(c, "DELETE FROM documents WHERE id = ?", params(documentId)) > 0;
      if (deleted) {
        recordInOutbox(c, SearchOutbox.Kind.DELETE, documentId, 0, null, false);
      }
      return deleted;
    });
  }

  @Override
  public Optional<CollectionDeletion> deleteCollection(String name) {
    CollectionNames.requireValidName(name);
    return inTransaction("delete collection " + name, c -> {
      // 1. the collection's row: a transaction staging into it holds a key-share lock on it (PostgreSQL), so
      //    this waits for it, and what it staged is moved below; later ones wait for this one
      if (queryFirst(c, "SELECT name FROM collections WHERE name = ? AND deleted_at IS NULL" + forUpdate(),
          params(name), rs -> rs.getString(1)).isEmpty()) {
        return Optional.<CollectionDeletion>empty();
      }
      long now = System.currentTimeMillis();
      String tombstone = TOMBSTONE_PREFIX + UUID.randomUUID();
      update(c, "INSERT INTO collections (name, created_at, deleted_at, deleted_name) VALUES (?, ?, ?, ?)",
          params(tombstone, now, now, name));
      cancelUnfinishedFiles(c, name, now);
      // 2. every version of every document, in the order publish locks them
      List<String> documentIds = new ArrayList<>();
      for (String id : query(c, "SELECT id, version FROM documents WHERE collection = ? ORDER BY id, version"
          + forUpdate(), params(name), rs -> rs.getString(1))) {
        if (documentIds.isEmpty() || !documentIds.get(documentIds.size() - 1).equals(id)) {
          documentIds.add(id);
        }
      }
      update(c, "UPDATE documents SET published = 0, collection = ?, updated_at = ? WHERE collection = ?",
          params(tombstone, now, name));
      update(c, "DELETE FROM collections WHERE name = ?", params(name));
      return Optional.of(new CollectionDeletion(tombstone, name, Instant.ofEpochMilli(now), documentIds));
    });
  }

  /** Cancels the files of the collection's ingest jobs that are not final yet (same database as the catalog). */
  private static void cancelUnfinishedFiles(Connection c, String collection, long now) throws SQLException {
    FileError error = FileError.collectionDeleted(collection);
    String unfinished = "status NOT IN " + FINAL_FILE_STATUSES;
    update(c, "UPDATE ingest_jobs SET updated_at = ? WHERE collection = ?"
        + " AND EXISTS (SELECT 1 FROM ingest_files f WHERE f.job_id = ingest_jobs.id AND f." + unfinished + ")",
        params(now, collection));
    update(c, "UPDATE ingest_files SET status = 'FAILED', error_type = ?, error_title = ?, error_detail = ?,"
        + " updated_at = ? WHERE " + unfinished + " AND job_id IN (SELECT id FROM ingest_jobs WHERE collection = ?)",
        params(error.type(), error.title(), error.detail(), now, collection));
  }

  @Override
  public List<CollectionDeletion> pendingDeletions() {
    return read("read pending collection deletions", c -> {
      List<CollectionDeletion> pending = query(c, "SELECT name, deleted_name, deleted_at FROM collections"
          + " WHERE deleted_at IS NOT NULL ORDER BY deleted_at, name", params(),
          rs -> new CollectionDeletion(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
              List.of()));
      List<CollectionDeletion> withDocuments = new ArrayList<>(pending.size());
      for (CollectionDeletion d : pending) {
        List<String> ids = query(c, "SELECT DISTINCT id FROM documents WHERE collection = ? ORDER BY id",
            params(d.id()), rs -> rs.getString(1));
        withDocuments.add(new CollectionDeletion(d.id(), d.collection(), d.deletedAt(), ids));
      }
      return withDocuments;
    });
  }

  @Override
  public void forgetDeletion(String deletionId) {
    inTransaction("forget collection deletion " + deletionId, c -> {
      if (deletedName(c, deletionId) == null) {
        return null; // forgotten already, or not a tombstone at all
      }
      List<String> ids = query(c, "SELECT DISTINCT id FROM documents WHERE collection = ?", params(deletionId),
          rs -> rs.getString(1));
      // every version of a tombstone's document is under the tombstone
      Jdbc.batch(c, "DELETE FROM chunks WHERE document_id = ?", ids, (ps, id) -> ps.setString(1, id));
      update(c, "DELETE FROM documents WHERE collection = ?", params(deletionId));
      update(c, "DELETE FROM collections WHERE name = ? AND deleted_at IS NOT NULL", params(deletionId));
      return null;
    });
  }

  @Override
  public Optional<Document> find(String documentId) {
    return queryDocuments("WHERE published = 1 AND id = ?", documentId).stream().findFirst();
  }

  @Override
  public Optional<Document> findBySourcePath(String collection, String sourcePath) {
    return queryDocuments("WHERE published = 1 AND collection = ? AND source_path = ?", collection, sourcePath)
        .stream().findFirst();
  }

  @Override
  public List<Document> findBySha256(String collection, String sha256) {
    return queryDocuments("WHERE published = 1 AND collection = ? AND sha256 = ? ORDER BY source_path",
        collection, sha256);
  }

  @Override
  public Map<String, List<Document>> findBySha256(String collection, Collection<String> sha256s) {
    Map<String, List<Document>> found = new HashMap<>();
    for (List<String> part : partition(new ArrayList<>(new HashSet<>(sha256s)))) {
      for (Document d : queryDocuments("WHERE published = 1 AND collection = ? AND sha256 IN ("
          + placeholders(part.size()) + ") ORDER BY source_path", withFirst(collection, part))) {
        found.computeIfAbsent(d.sha256(), s -> new ArrayList<>()).add(d);
      }
    }
    return found;
  }

  @Override
  public Map<String, Document> findBySourcePaths(String collection, Collection<String> sourcePaths) {
    Map<String, Document> found = new HashMap<>();
    for (List<String> part : partition(new ArrayList<>(new HashSet<>(sourcePaths)))) {
      for (Document d : queryDocuments("WHERE published = 1 AND collection = ? AND source_path IN ("
          + placeholders(part.size()) + ")", withFirst(collection, part))) {
        found.put(d.sourcePath(), d);
      }
    }
    return found;
  }

  private static Object[] withFirst(Object first, List<?> rest) {
    Object[] all = new Object[rest.size() + 1];
    all[0] = first;
    for (int i = 0; i < rest.size(); i++) {
      all[i + 1] = rest.get(i);
    }
    return all;
  }

  @Override
  public List<Document> list(String collection, int offset, int limit) {
    return queryDocuments("WHERE published = 1 AND collection = ? ORDER BY source_path LIMIT ? OFFSET ?",
        collection, limit, offset);
  }

  @Override
  public Map<String, Document> findAll(Collection<String> documentIds) {
    Map<String, Document> found = new HashMap<>();
    for (List<String> part : partition(new ArrayList<>(new HashSet<>(documentIds)))) {
      for (Document d : queryDocuments("WHERE published = 1 AND id IN (" + placeholders(part.size()) + ")",
          part.toArray())) {
        found.put(d.id(), d);
      }
    }
    return found;
  }

  @Override
  public List<Document> publishedWithStatus(DocumentStatus status) {
    return queryDocuments("WHERE published = 1 AND status = ? ORDER BY collection, source_path", status.name());
  }

  @Override
  public List<Document> allPublished() {
    return queryDocuments("WHERE published = 1 ORDER BY collection, source_path");
  }

  private List<Document> queryDocuments(String where, Object... params) {
    return read("read documents", c -> query(c, "SELECT " + DOCUMENT_COLUMNS + " FROM documents " + where,
        params(params), JdbcDocumentCatalog::toDocument));
  }

  @Override
  public List<CollectionStats> collections() {
    return queryCollections("", new Object[0]);
  }

  @Override
  public Optional<CollectionStats> collection(String name) {
    return queryCollections(" AND c.name = ?", new Object[] {name}).stream().findFirst();
  }

  private List<CollectionStats> queryCollections(String where, Object[] params) {
    return read("read collections", c -> query(c, "SELECT c.name, COUNT(d.id), COALESCE(SUM(d.chunk_count), 0),"
        + " COALESCE(SUM(d.token_count), 0), c.vector_generation FROM collections c LEFT JOIN documents d"
        + " ON d.collection = c.name AND d.published = 1 WHERE c.deleted_at IS NULL" + where
        + " GROUP BY c.name, c.vector_generation ORDER BY c.name", params(params),
        rs -> new CollectionStats(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
            getInteger(rs, "vector_generation"))));
  }

  @Override
  public List<Chunk> chunks(String documentId) {
    return queryChunks("SELECT " + prefixed("c.", CHUNK_COLUMNS) + " FROM chunks c JOIN documents d"
        + " ON d.id = c.document_id AND d.version = c.version WHERE d.published = 1 AND c.document_id = ?"
        + " ORDER BY c.ordinal", documentId);
  }

  @Override
  public List<Chunk> chunks(String documentId, int version) {
    return queryChunks("SELECT " + CHUNK_COLUMNS + " FROM chunks WHERE document_id = ? AND version = ?"
        + " ORDER BY ordinal", documentId, version);
  }

  @Override
  public Map<String, Chunk> publishedChunks(Collection<String> chunkIds) {
    return publishedChunks(chunkIds, null, null);
  }

  @Override
  public Map<String, Chunk> publishedChunks(Collection<String> chunkIds, Integer generation, Set<String> readable) {
    if (readable != null && readable.isEmpty()) {
      return Map.of();
    }
    Map<String, List<Integer>> ordinalsByDocument = new LinkedHashMap<>();
    Set<String> wanted = new HashSet<>(chunkIds);
    for (String id : wanted) {
      ChunkId.parse(id).ifPresent(c -> ordinalsByDocument.computeIfAbsent(c.documentId(), k -> new ArrayList<>())
          .add(c.ordinal()));
    }
    Map<String, Chunk> found = new HashMap<>();
    for (Map.Entry<String, List<Integer>> e : ordinalsByDocument.entrySet()) {
      for (List<Integer> ordinals : partition(e.getValue())) {
        List<Object> params = new ArrayList<>();
        if (generation != null) {
          params.add(generation);
        }
        params.add(e.getKey());
        params.addAll(ordinals);
        if (readable != null) {
          params.addAll(readable);
        }
        for (Chunk chunk : queryChunks("SELECT " + prefixed("c.", CHUNK_COLUMNS) + " FROM chunks c JOIN documents d"
            + " ON d.id = c.document_id AND d.version = c.version"
            + (generation == null ? "" : " JOIN collections k ON k.name = d.collection AND k.vector_generation = ?")
            + " WHERE d.published = 1 AND c.document_id = ?"
            + " AND c.ordinal IN (" + placeholders(ordinals.size()) + ")"
            + (readable == null ? "" : " AND d.collection IN (" + placeholders(readable.size()) + ")"),
            params.toArray())) {
          if (wanted.contains(chunk.id())) {
            found.put(chunk.id(), chunk);
          }
        }
      }
    }
    return found;
  }

  @Override
  public List<Provenance> provenances(String documentId, int version) {
    return read("read chunk provenance", c -> query(c, "SELECT page_start, page_end, line_start, line_end,"
        + " start_ms, end_ms, speaker, section FROM chunks WHERE document_id = ? AND version = ? ORDER BY ordinal",
        params(documentId, version), JdbcDocumentCatalog::toProvenance));
  }

  private List<Chunk> queryChunks(String sql, Object... params) {
    return read("read chunks", c -> query(c, sql, params(params), JdbcDocumentCatalog::toChunk));
  }

  @Override
  public Map<String, Integer> publishedVersions(Collection<String> documentIds) {
    Map<String, Integer> versions = new HashMap<>();
    for (List<String> part : partition(new ArrayList<>(new HashSet<>(documentIds)))) {
      for (Map.Entry<String, Integer> e : read("read versions", c -> query(c, "SELECT id, version FROM documents"
          + " WHERE published = 1 AND id IN (" + placeholders(part.size()) + ")", params(part.toArray()),
          rs -> Map.entry(rs.getString(1), rs.getInt(2))))) {
        versions.put(e.getKey(), e.getValue());
      }
    }
    return versions;
  }

  @Override
  public Set<String> publishedVersionKeys() {
    return new HashSet<>(read("read versions", c -> query(c, "SELECT id, version FROM documents WHERE published = 1",
        params(), rs -> ChunkId.versionKey(rs.getString(1), rs.getInt(2)))));
  }

  @Override
  public int discardUnpublished(Instant stagedBefore) {
    long before = stagedBefore.equals(Instant.MAX) ? Long.MAX_VALUE : stagedBefore.toEpochMilli();
    return inTransaction("discard unpublished versions", c -> {
      // a pending collection deletion's documents stay: they list what is left to remove outside the catalog
      update(c, "DELETE FROM chunks WHERE EXISTS (SELECT 1 FROM documents d WHERE d.id = chunks.document_id"
          + " AND d.version = chunks.version AND d.published = 0 AND d.updated_at < ?"
          + " AND d.collection NOT IN (" + TOMBSTONES + "))", params(before));
      return update(c, "DELETE FROM documents WHERE published = 0 AND updated_at < ? AND collection NOT IN ("
          + TOMBSTONES + ")", params(before));
    });
  }

  @Override
  public Set<String> unpublishedVersionKeys() {
    return new HashSet<>(read("read versions", c -> query(c, "SELECT id, version FROM documents WHERE published = 0",
        params(), rs -> ChunkId.versionKey(rs.getString(1), rs.getInt(2)))));
  }

  @Override
  public List<VectorGeneration> generations() {
    return read("read vector generations", c -> generations(c, ""));
  }

  private static List<VectorGeneration> generations(Connection c, String where, Object... params)
      throws SQLException {
    return query(c, "SELECT id, model, dimension FROM vector_generations " + where + " ORDER BY id", params(params),
        rs -> new VectorGeneration(rs.getInt(1), rs.getString(2), rs.getInt(3)));
  }

  /** Serializes generation bookkeeping across instances sharing one PostgreSQL database. */
  private void lockGenerations(Connection c) throws SQLException {
    if (dialect == Dialect.POSTGRES) {
      Jdbc.execute(c, "SELECT pg_advisory_xact_lock(7402)");
    }
  }

  @Override
  public VectorGeneration registerGeneration(String model, int dimension) {
    return inTransaction("register the vectors of " + model, c -> {
      lockGenerations(c);
      List<VectorGeneration> existing = generations(c, "WHERE model = ? AND dimension = ?", model, dimension);
      if (!existing.isEmpty()) {
        return existing.get(0);
      }
      int id = queryFirst(c, "SELECT COALESCE(MAX(id), 0) + 1 FROM vector_generations", params(), rs -> rs.getInt(1))
          .orElseThrow();
      VectorGeneration generation = new VectorGeneration(id, model, dimension);
      insertGeneration(c, generation);
      return generation;
    });
  }

  private static void insertGeneration(Connection c, VectorGeneration g) throws SQLException {
    update(c, "INSERT INTO vector_generations (id, model, dimension, created_at) VALUES (?, ?, ?, ?)",
        params(g.id(), g.model(), g.dimension(), System.currentTimeMillis()));
  }

  @Override
  public void adoptUnversionedVectors(String model, int dimension) {
    inTransaction("adopt the vectors of " + model, c -> {
      lockGenerations(c);
      if (!generations(c, "").isEmpty()) {
        return null;
      }
      insertGeneration(c, new VectorGeneration(1, model, dimension));
      update(c, "UPDATE documents SET vector_generation = 1 WHERE published = 1 AND status = 'READY'", params());
      update(c, "UPDATE collections SET vector_generation = 1"
          + " WHERE name IN (SELECT collection FROM documents WHERE published = 1 AND status = 'READY')", params());
      return null;
    });
  }

  @Override
  public Set<Integer> generationsInUse() {
    return new HashSet<>(read("read the vector generations in use", c -> query(c, "SELECT vector_generation"
        + " FROM collections WHERE vector_generation IS NOT NULL UNION SELECT DISTINCT vector_generation FROM documents"
        + " WHERE published = 1 AND vector_generation IS NOT NULL", params(), rs -> rs.getInt(1))));
  }

  @Override
  public Optional<Integer> searchedGeneration(String collection) {
    return read("read the vector generation of " + collection, c -> searchedGeneration(c, collection));
  }

  private static Optional<Integer> searchedGeneration(Connection c, String collection) throws SQLException {
    return queryFirst(c, "SELECT vector_generation FROM collections WHERE name = ?", params(collection),
        rs -> getInteger(rs, "vector_generation"));
  }

  @Override
  public boolean markEmbedded(String documentId, int version, int generation, boolean stored) {
    return inTransaction("mark document " + documentId + " embedded", c -> {
      if (update(c, "UPDATE documents SET status = 'READY', error = NULL, vector_generation = ?, updated_at = ?"
          + " WHERE id = ? AND version = ? AND published = 1",
          params(generation, System.currentTimeMillis(), documentId, version)) != 1) {
        return false;
      }
      update(c, "UPDATE collections SET vector_generation = ? WHERE vector_generation IS NULL"
          + " AND name = (SELECT collection FROM documents WHERE id = ? AND version = ?)",
          params(generation, documentId, version));
      if (!stored) {
        recordInOutbox(c, SearchOutbox.Kind.VECTORS, documentId, version, generation, true);
      }
      return true;
    });
  }

  @Override
  public Optional<Integer> switchGeneration(String collection, int generation) {
    return inTransaction("switch collection " + collection + " to vector generation " + generation, c -> {
      Optional<Integer> searched = searchedGeneration(c, collection);
      if (searched.isEmpty() || searched.get() == generation) {
        return Optional.<Integer>empty();
      }
      if (queryFirst(c, "SELECT 1 FROM documents WHERE collection = ? AND published = 1 AND chunk_count > 0"
          + " AND (vector_generation IS NULL OR vector_generation <> ?) LIMIT 1", params(collection, generation),
          rs -> rs.getInt(1)).isPresent()) {
        return Optional.<Integer>empty();
      }
      return update(c, "UPDATE collections SET vector_generation = ? WHERE name = ? AND vector_generation = ?",
          params(generation, collection, searched.get())) == 1 ? searched : Optional.<Integer>empty();
    });
  }

  @Override
  public List<Document> withoutVectorsIn(String collection, int generation) {
    return queryDocuments("WHERE published = 1 AND collection = ? AND chunk_count > 0"
        + " AND (vector_generation IS NULL OR vector_generation <> ?) ORDER BY source_path", collection, generation);
  }

  @Override
  public Map<String, Integer> publishedVectorGenerations() {
    Map<String, Integer> generations = new HashMap<>();
    for (Map.Entry<String, Integer> e : read("read the vector generations of documents", c -> query(c,
        "SELECT id, version, vector_generation FROM documents WHERE published = 1 AND vector_generation IS NOT NULL",
        params(), rs -> Map.entry(ChunkId.versionKey(rs.getString(1), rs.getInt(2)), rs.getInt(3))))) {
      generations.put(e.getKey(), e.getValue());
    }
    return generations;
  }

  @Override
  public boolean isHealthy() {
    try {
      return read("check health", c -> c.isValid(2));
    } catch (StorageException e) {
      return false;
    }
  }

  /**
   * Writes a consistent copy of the whole embedded database (catalog, jobs, keys, audit log, evaluation runs and
   * everything else in it) to {@code file} while the service runs: SQLite's {@code VACUUM INTO} reads one snapshot.
   *
   * @throws UnsupportedOperationException on PostgreSQL, which pg_dump backs up
   */
  @Override
  public void copyTo(Path file) {
    if (dialect != Dialect.SQLITE) {
      throw new UnsupportedOperationException("the PostgreSQL catalog is backed up with pg_dump (README, Backup and restore)");
    }
    jdbc.withConnection("copying the catalog to " + file, c -> {
      try (PreparedStatement vacuum = c.prepareStatement("VACUUM INTO ?")) {
        vacuum.setString(1, file.toAbsolutePath().toString());
        vacuum.execute();
      }
      return null;
    });
  }

  @Override
  public void close() {
    // the data source belongs to the caller
  }

  private static Document toDocument(ResultSet rs) throws SQLException {
    return new Document(rs.getString("id"), rs.getString("collection"), rs.getInt("version"),
        rs.getString("source_name"), rs.getString("source_path"), rs.getString("media_type"),
        rs.getString("sha256"), rs.getLong("size_bytes"), rs.getString("title"), rs.getString("language"),
        getInteger(rs, "page_count"), rs.getLong("token_count"), rs.getInt("chunk_count"),
        DocumentStatus.valueOf(rs.getString("status")), rs.getString("error"),
        Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")),
        fromJson(rs.getString("metadata")));
  }

  private static Provenance toProvenance(ResultSet rs) throws SQLException {
    return new Provenance(getInteger(rs, "page_start"), getInteger(rs, "page_end"),
        getInteger(rs, "line_start"), getInteger(rs, "line_end"), getLong(rs, "start_ms"), getLong(rs, "end_ms"),
        rs.getString("speaker"), rs.getString("section"));
  }

  private static Chunk toChunk(ResultSet rs) throws SQLException {
    Provenance p = toProvenance(rs);
    return new Chunk(null, rs.getString("document_id"), rs.getInt("version"), rs.getInt("ordinal"),
        rs.getString("text"), rs.getInt("token_count"), p, rs.getInt("overlap_chars"), rs.getInt("overlap_tokens"));
  }

  private static String prefixed(String prefix, String columns) {
    return prefix + columns.replace(", ", ", " + prefix);
  }

  private static <T> List<List<T>> partition(List<T> items) {
    return Jdbc.partition(items, IN_LIST_MAX);
  }

  private static String toJson(Map<String, String> metadata) {
    try {
      return JSON.writeValueAsString(metadata);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("metadata cannot be written as JSON", e);
    }
  }

  private static Map<String, String> fromJson(String json) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new StorageException("corrupt metadata in the catalog: " + e.getMessage(), e);
    }
  }
}
