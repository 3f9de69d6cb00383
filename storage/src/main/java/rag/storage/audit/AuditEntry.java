package rag.storage.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One audited request. {@code keyId} null: the service ran open. {@code target}: what the action was about besides
 * the collection (document ids, a job, a key id); {@code detail}: e.g. the chunks an answer cited. {@code seq} and the
 * hashes are set when the entry is appended.
 */
public record AuditEntry(long seq, Instant at, String keyId, String action, String collection, String target,
    String outcome, String address, String detail, String prevHash, String hash) {

  public AuditEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
  }

  /**
   * This entry as the one after {@code prevHash}, numbered {@code seq}, with its own hash ({@link AuditStore#hash}); its
   * time is kept to the millisecond, as stored.
   */
  AuditEntry chained(long seq, String prevHash) {
    AuditEntry unhashed = new AuditEntry(seq, Instant.ofEpochMilli(at.toEpochMilli()), keyId, action, collection,
        target, outcome, address, detail, prevHash, null);
    return new AuditEntry(seq, unhashed.at(), keyId, action, collection, target, outcome, address, detail, prevHash,
        AuditStore.hash(unhashed));
  }

  /** An entry to append. */
  public static AuditEntry of(Instant at, String keyId, String action, String collection, String target,
      String outcome, String address, String detail) {
    return new AuditEntry(0, at, keyId, action, collection, target, outcome, address, detail, null, null);
  }
}
