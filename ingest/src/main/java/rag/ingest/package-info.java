/**
 * Ingestion: intake spool, job queue and workers, Tika parsing, per-format chunkers, embedding in
 * batches, and writing to {@link rag.storage.Archive}. Built under the ingestion issue.
 */
package rag.ingest;
