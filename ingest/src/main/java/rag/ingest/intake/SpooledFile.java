package rag.ingest.intake;

/** Bytes on disk in the spool (path relative to the spool directory), with their size and SHA-256. */
public record SpooledFile(String relativePath, long sizeBytes, String sha256) {}
