package rag.storage.jobs;

import static rag.storage.jdbc.Jdbc.getInteger;
import static rag.storage.jdbc.Jdbc.getLong;
import static rag.storage.jdbc.Jdbc.params;
import static rag.storage.jdbc.Jdbc.query;
import static rag.storage.jdbc.Jdbc.setInteger;
import static rag.storage.jdbc.Jdbc.setLong;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.sql.DataSource;
import rag.storage.catalog.StorageException;
import rag.storage.jdbc.Jdbc;

/** Jobs in the catalog database (SQLite or PostgreSQL); the schema comes with the catalog's migrations. */
public final class JdbcJobStore implements JobStore {
  private static final String FILE_COLUMNS = "job_id, seq, name, source_path, spool_file, size_bytes, sha256, status,"
      + " document_id, chunks, tokens, outcome, error_type, error_title, error_detail, updated_at";
  private static final String JOB_COLUMNS = "id, collection, created_at, updated_at, kind";

  private static final String FINAL_STATUSES = "('DONE', 'UNCHANGED', 'FAILED')";

  private final Jdbc jdbc;
  /** The lease holder that file updates require ({@link #fencedBy}); null: none. */
  private final String fence;

  public JdbcJobStore(DataSource dataSource) {
    this(new Jdbc(dataSource), null);
  }

  private JdbcJobStore(Jdbc jdbc, String fence) {
    this.jdbc = jdbc;
    this.fence = fence;
  }

  @Override
  public JobStore fencedBy(String owner) {
    return new JdbcJobStore(jdbc, java.util.Objects.requireNonNull(owner, "owner"));
  }

  @Override
  public void create(IngestJob job) {
    jdbc.inTransaction("cannot record ingest job " + job.id(), c -> {
      Jdbc.update(c, "INSERT INTO ingest_jobs (" + JOB_COLUMNS + ") VALUES (?, ?, ?, ?, ?)", params(job.id(),
          job.collection(), job.createdAt().toEpochMilli(), job.updatedAt().toEpochMilli(), job.kind().name()));
      Jdbc.batch(c, "INSERT INTO ingest_files (" + FILE_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", job.files(), JdbcJobStore::bindFile);
      return null;
    });
  }

  private static void bindFile(PreparedStatement ps, JobFile f) throws SQLException {
    int i = 1;
    ps.setString(i++, f.jobId());
    ps.setInt(i++, f.seq());
    ps.setString(i++, f.name());
    ps.setString(i++, f.sourcePath());
    ps.setString(i++, f.spoolFile());
    ps.setLong(i++, f.sizeBytes());
    ps.setString(i++, f.sha256());
    ps.setString(i++, f.status().name());
    ps.setString(i++, f.documentId());
    setInteger(ps, i++, f.chunks());
    setLong(ps, i++, f.tokens());
    ps.setString(i++, f.outcome() == null ? null : f.outcome().wireName());
    ps.setString(i++, f.error() == null ? null : f.error().type());
    ps.setString(i++, f.error() == null ? null : f.error().title());
    ps.setString(i++, f.error() == null ? null : f.error().detail());
    ps.setLong(i, System.currentTimeMillis());
  }

  @Override
  public Optional<IngestJob> find(String jobId) {
    return jobs("SELECT " + JOB_COLUMNS + " FROM ingest_jobs WHERE id = ?", jobId).stream().findFirst();
  }

  @Override
  public List<IngestJob> recent(int limit) {
    return jobs("SELECT " + JOB_COLUMNS + " FROM ingest_jobs ORDER BY created_at DESC LIMIT ?", limit);
  }

  /** The jobs a query selects, each with its files. */
  private List<IngestJob> jobs(String sql, Object param) {
    return jdbc.withConnection("cannot read ingest jobs", c -> {
      List<IngestJob> jobs = new ArrayList<>();
      for (IngestJob job : query(c, sql, params(param), JdbcJobStore::toJob)) {
        List<JobFile> files = files(c, "WHERE job_id = ? ORDER BY seq", job.id());
        jobs.add(new IngestJob(job.id(), job.collection(), job.createdAt(), job.updatedAt(), files, job.kind()));
      }
      return jobs;
    });
  }

  private static IngestJob toJob(ResultSet rs) throws SQLException {
    return new IngestJob(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
        Instant.ofEpochMilli(rs.getLong(4)), List.of(), IngestJob.Kind.valueOf(rs.getString(5)));
  }

  private static List<JobFile> files(Connection c, String where, Object... params) throws SQLException {
    return query(c, "SELECT " + FILE_COLUMNS + " FROM ingest_files " + where, params(params), JdbcJobStore::toFile);
  }

  private static JobFile toFile(ResultSet rs) throws SQLException {
    String errorType = rs.getString("error_type");
    FileError error = errorType == null ? null
        : new FileError(errorType, rs.getString("error_title"), rs.getString("error_detail"));
    return new JobFile(rs.getString("job_id"), rs.getInt("seq"), rs.getString("name"), rs.getString("source_path"),
        rs.getString("spool_file"), rs.getLong("size_bytes"), rs.getString("sha256"),
        FileStatus.valueOf(rs.getString("status")), rs.getString("document_id"), getInteger(rs, "chunks"),
        getLong(rs, "tokens"), FileOutcome.fromWireName(rs.getString("outcome")), error);
  }

  @Override
  public boolean update(JobFile f) {
    // two auto-committed statements, not one transaction: deleting a collection locks a job's row before its
    // files' rows, and this would lock them the other way round
    return jdbc.withConnection("cannot update ingest job " + f.jobId(), c -> {
      long now = System.currentTimeMillis();
      if (!updateFile(c, f, now)) {
        return false;
      }
      Jdbc.update(c, "UPDATE ingest_jobs SET updated_at = ? WHERE id = ?", params(now, f.jobId()));
      return true;
    });
  }

  @Override
  public List<Boolean> updateAll(List<JobFile> files) {
    if (files.size() < 2) {
      return files.stream().map(this::update).toList();
    }
    return jdbc.inTransaction("cannot update " + files.size() + " ingest files", c -> {
      long now = System.currentTimeMillis();
      // the jobs' rows first, in id order, then their files': the order in which deleting a collection locks them
      for (String jobId : new TreeSet<>(files.stream().map(JobFile::jobId).toList())) {
        Jdbc.update(c, "UPDATE ingest_jobs SET updated_at = ? WHERE id = ?", params(now, jobId));
      }
      List<Boolean> updated = new ArrayList<>(files.size());
      for (JobFile f : files) {
        updated.add(updateFile(c, f, now));
      }
      return updated;
    });
  }

  /** False when the stored file is final already. */
  private boolean updateFile(Connection c, JobFile f, long now) throws SQLException {
    int updated = Jdbc.update(c, "UPDATE ingest_files SET status = ?, document_id = ?, chunks = ?, tokens = ?,"
        + " outcome = ?, error_type = ?, error_title = ?, error_detail = ?, spool_file = ?, updated_at = ?"
        + " WHERE job_id = ? AND seq = ? AND status NOT IN " + FINAL_STATUSES
        + (fence == null ? "" : " AND lease_owner = ?"), ps -> {
          int i = 1;
          ps.setString(i++, f.status().name());
          ps.setString(i++, f.documentId());
          setInteger(ps, i++, f.chunks());
          setLong(ps, i++, f.tokens());
          ps.setString(i++, f.outcome() == null ? null : f.outcome().wireName());
          ps.setString(i++, f.error() == null ? null : f.error().type());
          ps.setString(i++, f.error() == null ? null : f.error().title());
          ps.setString(i++, f.error() == null ? null : f.error().detail());
          ps.setString(i++, f.spoolFile());
          ps.setLong(i++, now);
          ps.setString(i++, f.jobId());
          ps.setInt(i++, f.seq());
          if (fence != null) {
            ps.setString(i, fence);
          }
        });
    if (updated != 1 && files(c, "WHERE job_id = ? AND seq = ?", f.jobId(), f.seq()).isEmpty()) {
      throw new StorageException("no file " + f.seq() + " in ingest job " + f.jobId());
    }
    return updated == 1;
  }

  @Override
  public Optional<JobFile> file(String jobId, int seq) {
    return jdbc.withConnection("cannot read ingest job " + jobId,
        c -> files(c, "WHERE job_id = ? AND seq = ?", jobId, seq).stream().findFirst());
  }

  @Override
  public boolean madeByAnotherFile(String documentId, FileKey except) {
    return jdbc.withConnection("cannot read ingest files", c -> !query(c, "SELECT 1 FROM ingest_files"
        + " WHERE document_id = ? AND NOT (job_id = ? AND seq = ?) LIMIT 1",
        params(documentId, except.jobId(), except.seq()), rs -> rs.getInt(1)).isEmpty());
  }

  @Override
  public Map<FileKey, JobFile> files(Collection<FileKey> keys) {
    Map<String, List<Integer>> seqsByJob = new HashMap<>();
    keys.forEach(k -> seqsByJob.computeIfAbsent(k.jobId(), j -> new ArrayList<>()).add(k.seq()));
    return jdbc.withConnection("cannot read ingest files", c -> {
      Map<FileKey, JobFile> found = new HashMap<>();
      for (Map.Entry<String, List<Integer>> job : seqsByJob.entrySet()) {
        for (List<Integer> seqs : Jdbc.partition(job.getValue(), 500)) {
          Object[] params = new Object[seqs.size() + 1];
          params[0] = job.getKey();
          for (int i = 0; i < seqs.size(); i++) {
            params[i + 1] = seqs.get(i);
          }
          for (JobFile f : files(c, "WHERE job_id = ? AND seq IN (" + Jdbc.placeholders(seqs.size()) + ")", params)) {
            found.put(FileKey.of(f), f);
          }
        }
      }
      return found;
    });
  }

  @Override
  public List<JobFile> finishedWithSpool() {
    return jdbc.withConnection("cannot read ingest jobs",
        c -> files(c, "WHERE status IN " + FINAL_STATUSES + " AND spool_file IS NOT NULL ORDER BY job_id, seq"));
  }

  @Override
  public void spoolReleased(String jobId, int seq) {
    jdbc.update("cannot update ingest job " + jobId, "UPDATE ingest_files SET spool_file = NULL"
        + " WHERE job_id = ? AND seq = ?", params(jobId, seq));
  }

  @Override
  public List<IngestJob> unfinishedJobs() {
    List<String> ids = jdbc.query("cannot read unfinished ingest jobs", "SELECT id FROM ingest_jobs j WHERE EXISTS"
        + " (SELECT 1 FROM ingest_files f WHERE f.job_id = j.id AND f.status NOT IN " + FINAL_STATUSES + ")"
        + " ORDER BY created_at", params(), rs -> rs.getString(1));
    List<IngestJob> jobs = new ArrayList<>();
    for (String id : ids) {
      find(id).ifPresent(jobs::add);
    }
    return jobs;
  }

  @Override
  public List<Claim> claim(String owner, int max, Duration lease) {
    if (max <= 0) {
      return List.of();
    }
    return jdbc.inTransaction("cannot claim ingest files", c -> {
      long now = System.currentTimeMillis();
      boolean postgres = c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
      List<FileKey> keys = query(c, "UPDATE ingest_files SET lease_owner = ?, lease_until = ?"
          + " WHERE (job_id, seq) IN (SELECT job_id, seq FROM ingest_files WHERE status NOT IN " + FINAL_STATUSES
          + " AND (lease_until IS NULL OR lease_until < ?) ORDER BY updated_at, job_id, seq LIMIT ?"
          + (postgres ? " FOR UPDATE SKIP LOCKED" : "") + ") RETURNING job_id, seq",
          params(owner, now + lease.toMillis(), now, max), rs -> new FileKey(rs.getString(1), rs.getInt(2)));
      if (keys.isEmpty()) {
        return List.<Claim>of();
      }
      Map<String, String> collections = new HashMap<>();
      List<String> jobIds = keys.stream().map(FileKey::jobId).distinct().toList();
      for (IngestJob job : query(c, "SELECT " + JOB_COLUMNS + " FROM ingest_jobs WHERE id IN ("
          + Jdbc.placeholders(jobIds.size()) + ")", params(jobIds.toArray()), JdbcJobStore::toJob)) {
        collections.put(job.id(), job.collection());
      }
      Object[] keyParams = keys.stream().flatMap(k -> Stream.of(k.jobId(), k.seq())).toArray();
      String values = String.join(", ", Collections.nCopies(keys.size(), "(?, ?)"));
      List<Claim> claims = new ArrayList<>();
      for (JobFile f : files(c, "WHERE (job_id, seq) IN (VALUES " + values + ") ORDER BY updated_at, job_id, seq",
          keyParams)) {
        claims.add(new Claim(collections.get(f.jobId()), f));
      }
      return claims;
    });
  }

  @Override
  public Set<FileKey> renewLeases(String owner, Duration lease) {
    return new HashSet<>(jdbc.query("cannot renew the leases of " + owner, "UPDATE ingest_files SET lease_until = ?"
        + " WHERE lease_owner = ? AND status NOT IN " + FINAL_STATUSES + " RETURNING job_id, seq",
        params(System.currentTimeMillis() + lease.toMillis(), owner),
        rs -> new FileKey(rs.getString(1), rs.getInt(2))));
  }

  @Override
  public void releaseLeases(String owner) {
    jdbc.update("cannot release the leases of " + owner, "UPDATE ingest_files SET lease_owner = NULL,"
        + " lease_until = NULL WHERE lease_owner = ?", params(owner));
  }

  @Override
  public int discardUploadsWithoutFile(Instant storedBefore) {
    return jdbc.update("cannot discard uploads without a job", "DELETE FROM blobs WHERE name LIKE 'spool/%'"
        + " AND created_at < ? AND NOT EXISTS (SELECT 1 FROM ingest_files f WHERE f.spool_file IS NOT NULL"
        + " AND 'spool/' || f.spool_file = blobs.name)", params(storedBefore.toEpochMilli()));
  }

  @Override
  public int unfinishedFiles() {
    return jdbc.query("cannot count unfinished ingest files", "SELECT COUNT(*) FROM ingest_files WHERE status NOT IN "
        + FINAL_STATUSES, params(), rs -> rs.getInt(1)).get(0);
  }
}
