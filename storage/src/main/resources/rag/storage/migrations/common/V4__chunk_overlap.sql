-- How much of each chunk repeats the end of the previous one, so that a document's text can be
-- given once (whole-document prompts) and its token count is the text's, not the chunks' sum.
ALTER TABLE chunks ADD COLUMN overlap_chars INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chunks ADD COLUMN overlap_tokens INTEGER NOT NULL DEFAULT 0;
