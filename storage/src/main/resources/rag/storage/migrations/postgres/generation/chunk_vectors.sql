-- The table of one vector generation (V6): applied when the generation is first opened, by
-- SchemaMigrations.ensureVectorTable under the migration lock, with {table} = chunk_vectors_<id> and {dimension}
-- its vectors' size. Its name and vector type depend on the generation, so it cannot be a numbered migration; it
-- must stay idempotent (every open applies it) and equal to what earlier versions created, whose tables are kept.
-- The HNSW index on embedding is not here: PgVectorStore builds it with the configured m and ef_construction, and
-- drops and rebuilds it around bulk loads.
-- pgvector's type: created here, where it is used (the postgres backend), since V7 no longer does
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE IF NOT EXISTS {table} (
  chunk_id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  collection TEXT NOT NULL,
  media_type TEXT NOT NULL,
  source_path TEXT NOT NULL,
  embedding vector({dimension}) NOT NULL
);
CREATE INDEX IF NOT EXISTS {table}_document ON {table} (document_id, version);
CREATE INDEX IF NOT EXISTS {table}_collection ON {table} (collection);
