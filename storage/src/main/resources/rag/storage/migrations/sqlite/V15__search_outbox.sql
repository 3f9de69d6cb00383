-- Changes to the search cluster's indexes (the cluster backend), written in the catalog transaction that makes them
-- (issue 13): 'publish' (a version was published; the versions before it are to go, and when pending its chunks are
-- to be indexed), 'vectors' (pending: a version's vectors, from the embedding cache), 'delete' (a document is gone).
-- pending = 1 when the writer could not apply the change itself (the search cluster was unreachable). An indexer
-- applies the rows in id order and deletes them; the other backends write none.
CREATE TABLE search_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  document_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  generation INTEGER,
  pending INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
-- Which instance applies the outbox, until when: taken and released in statements of their own, so that no
-- transaction stays open while the entries are applied to the search cluster (a lease that ran out is taken over).
CREATE TABLE search_outbox_lease (
  id INTEGER PRIMARY KEY,
  owner TEXT,
  lease_until BIGINT NOT NULL
);
INSERT INTO search_outbox_lease (id, owner, lease_until) VALUES (1, NULL, 0);
