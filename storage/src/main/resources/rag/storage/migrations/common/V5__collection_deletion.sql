-- Deleting a collection: one transaction moves its documents, unpublished, under a tombstone row
-- (deleted_at set, deleted_name the collection's name; the tombstone's own name can never be a
-- collection's) and removes the collection's row, so readers see none of it at once and the name is
-- free again. The tombstone and its documents are the durable list of what is left to remove
-- (index entries, originals, conversations); the row goes last.
ALTER TABLE collections ADD COLUMN deleted_at BIGINT;
ALTER TABLE collections ADD COLUMN deleted_name TEXT;
