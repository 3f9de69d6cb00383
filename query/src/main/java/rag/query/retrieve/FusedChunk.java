package rag.query.retrieve;

import rag.storage.model.Chunk;

/**
 * A chunk after rank fusion: its fused score and its 1-based rank in each retriever's list (null
 * when that retriever did not return it, e.g. no vector yet).
 */
public record FusedChunk(Chunk chunk, double score, Integer lexicalRank, Integer vectorRank) {}
