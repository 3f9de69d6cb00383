package rag.query.retrieve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import rag.storage.catalog.CatalogReader;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.SearchFilter;

/**
 * A retriever for tests where the search engines are not the point: the published chunks of the scope's collection,
 * ranked by how many of the question's words they contain (ties in catalog order); chunks sharing none are not found.
 */
public final class InMemoryRetriever implements ChunkRetriever {
  private final CatalogReader catalog;

  public InMemoryRetriever(CatalogReader catalog) {
    this.catalog = catalog;
  }

  @Override
  public List<FusedChunk> retrieve(String question, SearchFilter scope, int candidates) {
    Set<String> words = words(question);
    List<FusedChunk> found = new ArrayList<>();
    for (Document d : catalog.list(scope.collection(), 0, Integer.MAX_VALUE)) {
      for (Chunk c : catalog.chunks(d.id(), d.version())) {
        Set<String> shared = words(c.text());
        shared.retainAll(words);
        if (!shared.isEmpty()) {
          found.add(new FusedChunk(c, shared.size(), null, null));
        }
      }
    }
    found.sort(Comparator.comparingDouble(FusedChunk::score).reversed());
    return found.subList(0, Math.min(candidates, found.size()));
  }

  private static Set<String> words(String text) {
    return new HashSet<>(Arrays.asList(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")));
  }
}
