CREATE TABLE collections (
  name TEXT PRIMARY KEY,
  created_at BIGINT NOT NULL
);

-- One row per document version. Exactly one version of a document is published (visible) at a
-- time; staged versions are being written and are never shown.
CREATE TABLE documents (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  published INTEGER NOT NULL DEFAULT 0,
  collection TEXT NOT NULL REFERENCES collections (name),
  source_name TEXT NOT NULL,
  source_path TEXT NOT NULL,
  media_type TEXT NOT NULL,
  sha256 TEXT,
  size_bytes BIGINT NOT NULL,
  title TEXT,
  language TEXT,
  page_count INTEGER,
  token_count BIGINT NOT NULL,
  chunk_count INTEGER NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  metadata TEXT NOT NULL,
  PRIMARY KEY (id, version)
);
CREATE UNIQUE INDEX documents_published_id ON documents (id) WHERE published = 1;
CREATE UNIQUE INDEX documents_published_path ON documents (collection, source_path) WHERE published = 1;
CREATE INDEX documents_path ON documents (collection, source_path);
CREATE INDEX documents_sha256 ON documents (collection, sha256);

CREATE TABLE chunks (
  document_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  text TEXT NOT NULL,
  token_count INTEGER NOT NULL,
  page_start INTEGER,
  page_end INTEGER,
  line_start INTEGER,
  line_end INTEGER,
  start_ms BIGINT,
  end_ms BIGINT,
  speaker TEXT,
  section TEXT,
  PRIMARY KEY (document_id, version, ordinal)
);
