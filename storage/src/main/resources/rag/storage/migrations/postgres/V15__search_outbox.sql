-- Changes to the search cluster's indexes (the cluster backend), written in the catalog transaction that makes them
-- (issue 13): 'publish' (a version was published; the versions before it are to go, and when pending its chunks are
-- to be indexed), 'vectors' (pending: a version's vectors, from the embedding cache), 'delete' (a document is gone).
-- pending = 1 when the writer could not apply the change itself (the search cluster was unreachable). An indexer
-- applies the rows in id order and deletes them; the other backends write none.
CREATE TABLE search_outbox (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL,
  document_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  generation INTEGER,
  pending INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
