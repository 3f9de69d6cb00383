-- Evaluation runs (NIAH grids, retrieval evaluations), so that every instance on the same database sees them:
-- the settings (the request with every default filled in), the state (state, progress, error, times) and, once
-- succeeded, the result, each as JSON the application writes. The HTML report stays a file under the reports folder.
CREATE TABLE IF NOT EXISTS eval_runs (
  run_id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  state_json TEXT NOT NULL,
  settings_json TEXT NOT NULL,
  result_json TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS eval_runs_state ON eval_runs (state);
