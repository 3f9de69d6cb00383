-- Question sets for retrieval-accuracy reports over a collection: JSON lines as the operator sent them (one question
-- per line: id, question, expected passages, optional answer), kept with the collection and deleted with it.
CREATE TABLE IF NOT EXISTS question_sets (
  collection TEXT NOT NULL,
  name TEXT NOT NULL,
  questions INTEGER NOT NULL,
  jsonl TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (collection, name)
);
