-- API keys (access control). The secret is never stored: secret_hash is the HMAC-SHA256 of the secret under the
-- server's pepper (hex). A key reads and writes the collections of its grants (a collection name, or * for every
-- collection) at one level each; its scopes are global rights (keys, audit, eval, ingest-path), comma separated.
-- Revoking sets revoked_at; the row stays, so the audit log keeps naming the key.
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  revoked_at BIGINT
);
CREATE TABLE IF NOT EXISTS api_key_grants (
  key_id TEXT NOT NULL REFERENCES api_keys (id),
  collection TEXT NOT NULL,
  level TEXT NOT NULL,
  PRIMARY KEY (key_id, collection)
);
