-- Ingest jobs: one row per accepted upload batch, one row per file in it. A file's bytes are in
-- the spool (spool_file) from acceptance until its job no longer needs them.
CREATE TABLE ingest_jobs (
  id TEXT PRIMARY KEY,
  collection TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX ingest_jobs_created ON ingest_jobs (created_at);

CREATE TABLE ingest_files (
  job_id TEXT NOT NULL REFERENCES ingest_jobs (id),
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  source_path TEXT NOT NULL,
  spool_file TEXT,
  size_bytes BIGINT NOT NULL,
  sha256 TEXT,
  status TEXT NOT NULL,
  document_id TEXT,
  chunks INTEGER,
  tokens BIGINT,
  outcome TEXT,
  error_type TEXT,
  error_title TEXT,
  error_detail TEXT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (job_id, seq)
);
CREATE INDEX ingest_files_status ON ingest_files (status);
