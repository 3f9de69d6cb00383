package rag.storage.model;

/**
 * A chunk found by an index, before the catalog has checked that its version is the published one.
 * {@code score} is BM25 for lexical hits and cosine similarity for vector hits; higher is better.
 */
public record Hit(String chunkId, String documentId, int version, float score) {}
