-- Vector generations: the vectors made by one embedding model (name and dimension) form a generation, kept in a
-- store of its own (Lucene index folder vectors-<id>, pgvector table chunk_vectors_<id>). Vectors of different
-- generations are never compared. Each collection searches one generation; re-indexing it with another model fills
-- the new generation beside the old one, then switches the collection over in one transaction. Ids are never reused.
CREATE TABLE vector_generations (
  id INTEGER PRIMARY KEY,
  model TEXT NOT NULL,
  dimension INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX vector_generations_model ON vector_generations (model, dimension);

-- The generation the collection's kNN searches; NULL until one of its documents has vectors.
ALTER TABLE collections ADD COLUMN vector_generation INTEGER;

-- The generation holding this version's vectors (the newer one while a re-index gives it a second set); NULL: none.
ALTER TABLE documents ADD COLUMN vector_generation INTEGER;
CREATE INDEX documents_vector_generation ON documents (collection, published, vector_generation);

-- INGEST (files accepted), REPAIR (documents whose vectors were lost) or REINDEX (a collection re-embedded).
ALTER TABLE ingest_jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'INGEST';
