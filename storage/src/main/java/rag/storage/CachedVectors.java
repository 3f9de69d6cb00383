package rag.storage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import rag.storage.catalog.DocumentCatalog;
import rag.storage.embed.CachingEmbedder;
import rag.storage.embed.EmbeddingCache;
import rag.storage.model.Chunk;
import rag.storage.model.ChunkContext;
import rag.storage.model.Document;
import rag.storage.vector.EmbeddedChunk;
import rag.storage.vector.VectorGeneration;
import rag.storage.vector.VectorStore;

/** A version's vectors written again from the embedding cache, where ingest put them (the cluster backend's repairs). */
final class CachedVectors {
  private CachedVectors() {}

  /**
   * Writes the version's vectors from the cache, whichever text was embedded (the chunk alone, or after its header:
   * {@code rag.index.embed-context}); false when some chunk's vector is not cached.
   */
  static boolean write(DocumentCatalog catalog, EmbeddingCache cache, VectorGeneration generation, VectorStore store,
      Document d) {
    Optional<List<EmbeddedChunk>> vectors = find(catalog, cache, generation, d);
    vectors.filter(v -> !v.isEmpty()).ifPresent(v -> store.upsert(d, v));
    return vectors.isPresent();
  }

  /** The version's vectors as the cache holds them (none for a version without chunks); empty when some are missing. */
  static Optional<List<EmbeddedChunk>> find(DocumentCatalog catalog, EmbeddingCache cache, VectorGeneration generation,
      Document d) {
    List<Chunk> chunks = catalog.chunks(d.id(), d.version());
    List<String> plain = chunks.stream().map(c -> CachingEmbedder.key(c.text())).toList();
    List<String> withHeader = chunks.stream().map(c -> CachingEmbedder.key(ChunkContext.forEmbedding(d, c)))
        .toList();
    Set<String> keys = new HashSet<>(plain);
    keys.addAll(withHeader);
    Map<String, float[]> cached = cache.get(generation.model(), keys);
    for (List<String> variant : List.of(plain, withHeader)) {
      if (cached.keySet().containsAll(variant)) {
        List<EmbeddedChunk> vectors = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
          vectors.add(new EmbeddedChunk(chunks.get(i), cached.get(variant.get(i))));
        }
        return Optional.of(vectors);
      }
    }
    return Optional.empty();
  }
}
