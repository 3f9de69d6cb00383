package rag.storage.model;

/** A collection with the totals of its published documents. */
public record CollectionStats(String name, long documentCount, long chunkCount, long tokenCount) {}
