-- Conversations in the catalog's database, so that every instance of a cluster sees them (issue 13). The header and
-- each turn are JSON as the query module writes them; turns are numbered from 1 in the order they were appended.
CREATE TABLE IF NOT EXISTS conversations (
  id TEXT PRIMARY KEY,
  collection TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  turns INTEGER NOT NULL,
  header TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_by_collection ON conversations (collection, created_at);
CREATE TABLE IF NOT EXISTS conversation_turns (
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  turn TEXT NOT NULL,
  PRIMARY KEY (conversation_id, seq)
);
