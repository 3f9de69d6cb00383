package rag.storage;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import rag.storage.catalog.DocumentCatalog;
import rag.storage.embed.EmbeddingCache;
import rag.storage.lexical.LexicalIndex;
import rag.storage.model.Chunk;
import rag.storage.model.ChunkId;
import rag.storage.model.Document;
import rag.storage.model.DocumentStatus;
import rag.storage.opensearch.OpenSearchLexicalIndex;
import rag.storage.opensearch.OpenSearchVectorStore;
import rag.storage.vector.VectorGeneration;
import rag.storage.vector.VectorStore;

/**
 * Rebuilds the search cluster's indexes from PostgreSQL while every instance keeps answering (the cluster backend):
 * BM25 from the chunk text of every published version, each vector generation from the embedding cache. Each index is
 * filled beside the one searched and replaces it at once (the alias moves). Instances keep writing meanwhile, to the
 * old index; after the switch the rebuild catches up: published versions missing from the new index are written
 * again and versions no longer published or staged are removed, in two passes 2 s apart (a write indexes before it
 * publishes, so one caught between the switch and the first pass is found by the second; any later straggler is
 * what {@link Archive#reconcile} repairs). Versions whose vectors are not all in the cache are marked for embedding
 * again, which the next start of an ingest instance does.
 */
public final class SearchRebuild {
  private static final Logger LOG = Logger.getLogger(SearchRebuild.class);
  private static final Duration CATCH_UP_GAP = Duration.ofSeconds(2);

  /** What a rebuild did. */
  public record Report(String lexicalIndex, int versions, long chunks, int catchUpWrites, int catchUpRemovals,
      Map<String, Integer> vectorVersions, int vectorsMissing, long millis) {}

  private final DocumentCatalog catalog;
  private final OpenSearchLexicalIndex lexical;
  private final Map<VectorGeneration, VectorStore> vectors;
  private final EmbeddingCache cache;

  SearchRebuild(DocumentCatalog catalog, LexicalIndex lexical, Map<VectorGeneration, VectorStore> vectors,
      EmbeddingCache cache) {
    if (!(lexical instanceof OpenSearchLexicalIndex cluster)) {
      throw new UnsupportedOperationException("only the cluster backend has a search index to rebuild; on this"
          + " backend the BM25 index is a Lucene folder under the data directory, rebuilt from the catalog at start"
          + " when it is missing (stop the service and delete <data-dir>/lexical)");
    }
    this.catalog = catalog;
    this.lexical = cluster;
    this.vectors = vectors;
    this.cache = cache;
  }

  Report run() {
    long start = System.nanoTime();
    List<Document> published = catalog.allPublished();
    long[] chunks = {0};
    String index = lexical.rebuild(writer -> {
      for (Document d : published) {
        List<Chunk> versionChunks = catalog.chunks(d.id(), d.version());
        writer.add(d, versionChunks);
        chunks[0] += versionChunks.size();
      }
    });
    LOG.infof("rebuilt %s: %d versions, %d chunks", index, published.size(), chunks[0]);

    Map<String, Integer> vectorVersions = new HashMap<>();
    Set<String> missing = new HashSet<>();
    for (Map.Entry<VectorGeneration, VectorStore> e : vectors.entrySet()) {
      if (e.getValue() instanceof OpenSearchVectorStore store) {
        int written = rebuildVectors(e.getKey(), store, missing);
        vectorVersions.put(e.getKey().describe(), written);
      }
    }

    int writes = 0;
    int removals = 0;
    for (int pass = 0; pass < 2; pass++) {
      if (pass > 0) {
        sleep(CATCH_UP_GAP);
      }
      int[] caught = catchUp(missing);
      writes += caught[0];
      removals += caught[1];
    }
    for (String key : missing) {
      ChunkId.Version v = ChunkId.Version.parse(key);
      catalog.setStatus(v.documentId(), v.version(), DocumentStatus.SEARCHABLE, null);
    }
    Report report = new Report(index, published.size(), chunks[0], writes, removals, vectorVersions,
        missing.size(), Duration.ofNanos(System.nanoTime() - start).toMillis());
    LOG.infof("search rebuild done: %s", report);
    return report;
  }

  /** Fills a new index for the generation from the cache; returns how many versions got their vectors. */
  private int rebuildVectors(VectorGeneration generation, OpenSearchVectorStore store, Set<String> missing) {
    Map<String, Integer> generationOf = catalog.publishedVectorGenerations();
    List<Document> embedded = catalog.allPublished().stream()
        .filter(d -> Integer.valueOf(generation.id()).equals(generationOf.get(ChunkId.versionKey(d.id(),
            d.version())))).toList();
    int[] written = {0};
    store.rebuild(writer -> {
      for (Document d : embedded) {
        if (writeCachedVectors(generation, writer, d)) {
          written[0]++;
        } else {
          missing.add(ChunkId.versionKey(d.id(), d.version()));
        }
      }
    });
    return written[0];
  }

  private boolean writeCachedVectors(VectorGeneration generation, VectorStore writer, Document d) {
    return CachedVectors.write(catalog, cache, generation, writer, d);
  }

  /**
   * Writes published versions the new BM25 index lacks, removes what is neither published nor staged, and writes the
   * vectors of versions embedded while the vector indexes were rebuilt (from the cache; missing ones are noted).
   */
  private int[] catchUp(Set<String> missing) {
    Set<String> indexed = lexical.versionKeys();
    Set<String> keep = new HashSet<>(catalog.publishedVersionKeys());
    keep.addAll(catalog.unpublishedVersionKeys());
    int writes = 0;
    for (Document d : catalog.allPublished()) {
      if (!indexed.contains(ChunkId.versionKey(d.id(), d.version()))) {
        lexical.add(d, catalog.chunks(d.id(), d.version()));
        writes++;
      }
    }
    int removals = 0;
    for (String key : indexed) {
      if (!keep.contains(key)) {
        ChunkId.Version v = ChunkId.Version.parse(key);
        lexical.deleteVersion(v.documentId(), v.version());
        removals++;
      }
    }
    lexical.commit();
    Map<String, Integer> generationOf = catalog.publishedVectorGenerations();
    for (Map.Entry<VectorGeneration, VectorStore> e : vectors.entrySet()) {
      if (!(e.getValue() instanceof OpenSearchVectorStore store)) {
        continue;
      }
      Set<String> stored = store.versionKeys();
      for (Document d : catalog.allPublished()) {
        String key = ChunkId.versionKey(d.id(), d.version());
        if (Integer.valueOf(e.getKey().id()).equals(generationOf.get(key)) && !stored.contains(key)
            && !missing.contains(key)) {
          if (writeCachedVectors(e.getKey(), store, d)) {
            writes++;
          } else {
            missing.add(key);
          }
        }
      }
    }
    return new int[] {writes, removals};
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while rebuilding the search index", e);
    }
  }
}
