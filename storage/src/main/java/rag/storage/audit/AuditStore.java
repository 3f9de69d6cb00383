package rag.storage.audit;

import static rag.storage.jdbc.Jdbc.params;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import rag.storage.catalog.Dialect;
import rag.storage.jdbc.Jdbc;

/**
 * The audit log in the catalog's database: entries are only ever appended, each chained to the one before by a
 * SHA-256 hash, so that {@link #verify} finds any entry changed, removed or inserted afterwards. Appends are serialized
 * (an advisory lock on PostgreSQL, shared by every instance; a lock in this process on SQLite, which has one writer).
 */
public final class AuditStore {
  /** The previous hash of the first entry. */
  public static final String GENESIS = "0".repeat(64);
  private static final String COLUMNS = "seq, at, key_id, action, collection, target, outcome, address, detail,"
      + " prev_hash, hash";
  private static final String APPEND_LOCK = "SELECT pg_advisory_xact_lock(7401)";
  private final Jdbc jdbc;
  private final Dialect dialect;
  private final ReentrantLock appending = new ReentrantLock();

  /** What {@link #verify} found: the entries checked and the first one whose hash does not hold, if any. */
  public record Verification(long entries, Optional<Long> firstBrokenSeq, String reason) {
    public boolean intact() {
      return firstBrokenSeq.isEmpty();
    }
  }

  /** Which entries {@link #find} returns; null members do not restrict. */
  public record Query(String collection, String keyId, Instant since, int limit) {
  }

  public AuditStore(DataSource dataSource, Dialect dialect) {
    this.jdbc = new Jdbc(dataSource);
    this.dialect = dialect;
  }

  /** Appends the entry after the last one and returns it with its sequence number and hashes. */
  public AuditEntry append(AuditEntry draft) {
    appending.lock();
    try {
      return jdbc.inTransaction("cannot append to the audit log", c -> {
        if (dialect == Dialect.POSTGRES) {
          Jdbc.execute(c, APPEND_LOCK);
        }
        Optional<AuditEntry> last = Jdbc.queryFirst(c, "SELECT " + COLUMNS + " FROM audit_log ORDER BY seq DESC"
            + " LIMIT 1", params(), AuditStore::entry);
        long seq = last.map(e -> e.seq() + 1).orElse(1L);
        String prev = last.map(AuditEntry::hash).orElse(GENESIS);
        AuditEntry entry = draft.chained(seq, prev);
        Jdbc.update(c, "INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params(entry.seq(), entry.at().toEpochMilli(), entry.keyId(), entry.action(), entry.collection(),
                entry.target(), entry.outcome(), entry.address(), entry.detail(), entry.prevHash(), entry.hash()));
        return entry;
      });
    } finally {
      appending.unlock();
    }
  }

  /** Entries matching the query, newest first. */
  public List<AuditEntry> find(Query q) {
    StringBuilder where = new StringBuilder();
    List<Object> values = new ArrayList<>();
    if (q.collection() != null) {
      where.append(" AND collection = ?");
      values.add(q.collection());
    }
    if (q.keyId() != null) {
      where.append(" AND key_id = ?");
      values.add(q.keyId());
    }
    if (q.since() != null) {
      where.append(" AND at >= ?");
      values.add(q.since().toEpochMilli());
    }
    values.add(q.limit());
    return jdbc.query("cannot read the audit log", "SELECT " + COLUMNS + " FROM audit_log"
        + (where.isEmpty() ? "" : " WHERE " + where.substring(5)) + " ORDER BY seq DESC LIMIT ?",
        params(values.toArray()), AuditStore::entry);
  }

  /** Walks the whole chain in order and recomputes every hash. */
  public Verification verify() {
    return jdbc.withConnection("cannot read the audit log", c -> {
      long checked = 0;
      String prev = GENESIS;
      long expectedSeq = 1;
      try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log ORDER BY seq")) {
        ps.setFetchSize(1000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            AuditEntry e = entry(rs);
            checked++;
            if (e.seq() != expectedSeq) {
              return new Verification(checked, Optional.of(e.seq()), "entry " + expectedSeq + " is missing");
            }
            if (!e.prevHash().equals(prev)) {
              return new Verification(checked, Optional.of(e.seq()), "its previous hash is not the hash of entry "
                  + (e.seq() - 1));
            }
            if (!hash(e).equals(e.hash())) {
              return new Verification(checked, Optional.of(e.seq()), "its fields do not match its hash");
            }
            prev = e.hash();
            expectedSeq++;
          }
        }
      }
      return new Verification(checked, Optional.empty(), "intact");
    });
  }

  /** SHA-256 over the previous hash and every field, each length-prefixed so that no two entries encode alike. */
  public static String hash(AuditEntry e) {
    StringBuilder s = new StringBuilder();
    for (Object field : new Object[] {e.prevHash(), e.seq(), e.at().toEpochMilli(), e.keyId(), e.action(),
        e.collection(), e.target(), e.outcome(), e.address(), e.detail()}) {
      if (field == null) {
        s.append("-1:");
      } else {
        String text = field.toString();
        s.append(text.length()).append(':').append(text);
      }
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("SHA-256 is not available", ex);
    }
  }

  private static AuditEntry entry(ResultSet rs) throws SQLException {
    return new AuditEntry(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
        rs.getString(11));
  }
}
