-- Vectors of texts embedded before, by model and SHA-256 of the text, so that re-ingesting the
-- same text (a replaced document, a re-index, a resumed job) does not embed it again.
CREATE TABLE embedding_cache (
  model TEXT NOT NULL,
  text_sha256 TEXT NOT NULL,
  vector BLOB NOT NULL,
  PRIMARY KEY (model, text_sha256)
);
