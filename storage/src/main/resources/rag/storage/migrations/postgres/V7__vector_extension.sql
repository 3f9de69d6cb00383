-- pgvector's type and operators, for the tables of the vector generations (V6). Before V7 the vector store created
-- the extension itself; IF NOT EXISTS keeps those databases as they are. Each generation's table is created from
-- generation/chunk_vectors.sql when the generation is first opened (SchemaMigrations.ensureVectorTable).
CREATE EXTENSION IF NOT EXISTS vector;
