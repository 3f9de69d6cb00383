-- Ingest shared by the instances of a cluster (issue 13). An unfinished file is claimed by one ingest worker for a
-- lease that its heartbeats extend; once the lease runs out (the worker died) another worker claims it.
ALTER TABLE ingest_files ADD COLUMN lease_owner TEXT;
ALTER TABLE ingest_files ADD COLUMN lease_until BIGINT;
-- The ingest file ('<job>/<seq>') an unpublished version was staged for: the worker that takes the file over from
-- one that died discards that version and stages its own under the same number.
ALTER TABLE documents ADD COLUMN staged_for TEXT;
CREATE INDEX documents_staged_for ON documents (staged_for) WHERE published = 0;
-- Bytes every instance reaches: accepted uploads until they are ingested ('spool/<job>/<seq>') and the originals of
-- documents ('original/<document id>'), in parts of at most 1 MiB.
CREATE TABLE blobs (
  name TEXT NOT NULL,
  part INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (name, part)
);
