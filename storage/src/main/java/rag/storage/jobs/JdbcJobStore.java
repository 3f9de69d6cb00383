package rag.storage.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import rag.storage.catalog.StorageException;

/** Jobs in the catalog database (SQLite or PostgreSQL); the schema comes with the catalog's migrations. */
public final class JdbcJobStore implements JobStore {
  private static final String FILE_COLUMNS = "job_id, seq, name, source_path, spool_file, size_bytes, sha256, status,"
      + " document_id, chunks, tokens, outcome, error_type, error_title, error_detail, updated_at";

  private static final String FINAL_STATUSES = "('DONE', 'UNCHANGED', 'FAILED')";

  private final DataSource dataSource;

  public JdbcJobStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void create(IngestJob job) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO ingest_jobs (id, collection, created_at, updated_at, kind) VALUES (?, ?, ?, ?, ?)")) {
          ps.setString(1, job.id());
          ps.setString(2, job.collection());
          ps.setLong(3, job.createdAt().toEpochMilli());
          ps.setLong(4, job.updatedAt().toEpochMilli());
          ps.setString(5, job.kind().name());
          ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ingest_files (" + FILE_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          for (JobFile f : job.files()) {
            bindFile(ps, f);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StorageException("cannot record ingest job " + job.id() + ": " + e.getMessage(), e);
    }
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
    if (f.chunks() == null) {
      ps.setNull(i++, Types.INTEGER);
    } else {
      ps.setInt(i++, f.chunks());
    }
    if (f.tokens() == null) {
      ps.setNull(i++, Types.BIGINT);
    } else {
      ps.setLong(i++, f.tokens());
    }
    ps.setString(i++, f.outcome());
    ps.setString(i++, f.error() == null ? null : f.error().type());
    ps.setString(i++, f.error() == null ? null : f.error().title());
    ps.setString(i++, f.error() == null ? null : f.error().detail());
    ps.setLong(i, System.currentTimeMillis());
  }

  @Override
  public Optional<IngestJob> find(String jobId) {
    List<IngestJob> jobs = query("SELECT id, collection, created_at, updated_at, kind FROM ingest_jobs WHERE id = ?", jobId);
    return jobs.stream().findFirst();
  }

  @Override
  public List<IngestJob> recent(int limit) {
    return query("SELECT id, collection, created_at, updated_at, kind FROM ingest_jobs ORDER BY created_at DESC LIMIT ?",
        limit);
  }

  private List<IngestJob> query(String sql, Object param) {
    try (Connection c = dataSource.getConnection()) {
      Map<String, IngestJob> jobs = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setObject(1, param);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            jobs.put(rs.getString(1), new IngestJob(rs.getString(1), rs.getString(2),
                Instant.ofEpochMilli(rs.getLong(3)), Instant.ofEpochMilli(rs.getLong(4)), List.of(),
                IngestJob.Kind.valueOf(rs.getString(5))));
          }
        }
      }
      List<IngestJob> out = new ArrayList<>();
      for (IngestJob job : jobs.values()) {
        List<JobFile> files = files(c, "WHERE job_id = ? ORDER BY seq", job.id());
        out.add(new IngestJob(job.id(), job.collection(), job.createdAt(), job.updatedAt(), files, job.kind()));
      }
      return out;
    } catch (SQLException e) {
      throw new StorageException("cannot read ingest jobs: " + e.getMessage(), e);
    }
  }

  private static List<JobFile> files(Connection c, String where, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + FILE_COLUMNS + " FROM ingest_files " + where)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      List<JobFile> files = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int chunks = rs.getInt("chunks");
          Integer chunksOrNull = rs.wasNull() ? null : chunks;
          long tokens = rs.getLong("tokens");
          Long tokensOrNull = rs.wasNull() ? null : tokens;
          String errorType = rs.getString("error_type");
          FileError error = errorType == null ? null
              : new FileError(errorType, rs.getString("error_title"), rs.getString("error_detail"));
          files.add(new JobFile(rs.getString("job_id"), rs.getInt("seq"), rs.getString("name"),
              rs.getString("source_path"), rs.getString("spool_file"), rs.getLong("size_bytes"),
              rs.getString("sha256"), FileStatus.valueOf(rs.getString("status")), rs.getString("document_id"),
              chunksOrNull, tokensOrNull, rs.getString("outcome"), error));
        }
      }
      return files;
    }
  }

  @Override
  public boolean update(JobFile f) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE ingest_files SET status = ?, document_id = ?, chunks = ?,"
            + " tokens = ?, outcome = ?, error_type = ?, error_title = ?, error_detail = ?, spool_file = ?,"
            + " updated_at = ? WHERE job_id = ? AND seq = ? AND status NOT IN " + FINAL_STATUSES);
        PreparedStatement job = c.prepareStatement("UPDATE ingest_jobs SET updated_at = ? WHERE id = ?")) {
      long now = System.currentTimeMillis();
      int i = 1;
      ps.setString(i++, f.status().name());
      ps.setString(i++, f.documentId());
      ps.setObject(i++, f.chunks(), Types.INTEGER);
      ps.setObject(i++, f.tokens(), Types.BIGINT);
      ps.setString(i++, f.outcome());
      ps.setString(i++, f.error() == null ? null : f.error().type());
      ps.setString(i++, f.error() == null ? null : f.error().title());
      ps.setString(i++, f.error() == null ? null : f.error().detail());
      ps.setString(i++, f.spoolFile());
      ps.setLong(i++, now);
      ps.setString(i++, f.jobId());
      ps.setInt(i, f.seq());
      if (ps.executeUpdate() != 1) {
        if (files(c, "WHERE job_id = ? AND seq = ?", f.jobId(), f.seq()).isEmpty()) {
          throw new StorageException("no file " + f.seq() + " in ingest job " + f.jobId());
        }
        return false; // final already
      }
      job.setLong(1, now);
      job.setString(2, f.jobId());
      job.executeUpdate();
      return true;
    } catch (SQLException e) {
      throw new StorageException("cannot update ingest job " + f.jobId() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<JobFile> file(String jobId, int seq) {
    try (Connection c = dataSource.getConnection()) {
      return files(c, "WHERE job_id = ? AND seq = ?", jobId, seq).stream().findFirst();
    } catch (SQLException e) {
      throw new StorageException("cannot read ingest job " + jobId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<JobFile> finishedWithSpool() {
    try (Connection c = dataSource.getConnection()) {
      return files(c, "WHERE status IN " + FINAL_STATUSES + " AND spool_file IS NOT NULL ORDER BY job_id, seq");
    } catch (SQLException e) {
      throw new StorageException("cannot read ingest jobs: " + e.getMessage(), e);
    }
  }

  @Override
  public void spoolReleased(String jobId, int seq) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "UPDATE ingest_files SET spool_file = NULL WHERE job_id = ? AND seq = ?")) {
      ps.setString(1, jobId);
      ps.setInt(2, seq);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StorageException("cannot update ingest job " + jobId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<IngestJob> unfinishedJobs() {
    List<String> ids = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT id FROM ingest_jobs j WHERE EXISTS (SELECT 1 FROM"
            + " ingest_files f WHERE f.job_id = j.id AND f.status NOT IN " + FINAL_STATUSES + ")"
            + " ORDER BY created_at");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new StorageException("cannot read unfinished ingest jobs: " + e.getMessage(), e);
    }
    List<IngestJob> jobs = new ArrayList<>();
    for (String id : ids) {
      find(id).ifPresent(jobs::add);
    }
    return jobs;
  }

}
