package rag.storage.model;

/** A chunk of a published document version with the score of the search that found it. */
public record ScoredChunk(Chunk chunk, float score) {}
