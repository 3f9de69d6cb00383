-- The audit log: append-only, one row per audited request (who, what, on which collection and documents, from where,
-- with what outcome). Each row's hash is SHA-256 over the previous row's hash and its own fields, so a changed,
-- removed or inserted row breaks the chain from there on (rag.storage.audit.AuditStore#verify).
CREATE TABLE IF NOT EXISTS audit_log (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  key_id TEXT,
  action TEXT NOT NULL,
  collection TEXT,
  target TEXT,
  outcome TEXT NOT NULL,
  address TEXT,
  detail TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_collection ON audit_log (collection, seq);
CREATE INDEX IF NOT EXISTS audit_log_key ON audit_log (key_id, seq);
