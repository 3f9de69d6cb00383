-- Exact token counts of a document version as it appears in a stuffed prompt, per tokenizer and prompt layout
-- (see rag.query.assemble.PromptTokens): its contents line and its block (separators, citation markers, text),
-- both counted at the first place of a prompt. Derived data, computed once per version: rows of versions that are
-- gone are purged, and a changed layout or tokenizer simply stops matching.
CREATE TABLE IF NOT EXISTS token_counts (
  document_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  tokenizer TEXT NOT NULL,
  layout TEXT NOT NULL,
  contents_tokens BIGINT NOT NULL,
  document_tokens BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (document_id, version, tokenizer, layout)
);
