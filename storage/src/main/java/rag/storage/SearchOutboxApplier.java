package rag.storage;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import rag.storage.catalog.DocumentCatalog;
import rag.storage.catalog.SearchOutbox;
import rag.storage.catalog.StorageException;
import rag.storage.embed.EmbeddingCache;
import rag.storage.lexical.LexicalIndex;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.DocumentStatus;
import rag.storage.opensearch.OpenSearchLexicalIndex;
import rag.storage.opensearch.OpenSearchVectorStore;
import rag.storage.vector.EmbeddedChunk;
import rag.storage.vector.VectorGeneration;
import rag.storage.vector.VectorGenerations;
import rag.storage.vector.VectorStore;

/**
 * Applies a batch of search outbox entries to the search cluster's indexes ({@link SearchOutbox}). Every step is
 * idempotent: a version is written under ids that carry its number, and removals are by document or by "versions
 * before", so a batch applied twice (the instance died before the catalog forgot it) changes nothing more. What an
 * entry writes comes from the catalog as it is when the batch is read: a version no longer published is not written
 * (a later entry removes it, or removed it already), so entries applied late or out of order (ids are taken at
 * insert, not at commit) never bring back what a later change took away. A write the cluster refuses for good (not
 * an outage) marks its version FAILED with the reason instead of blocking the entries behind it; a failure of the
 * catalog or the cache is thrown like an outage (the batch stays). Vectors of a generation this instance does not
 * serve (an instance of an older model during a rolling upgrade) are left for one that does.
 */
final class SearchOutboxApplier {
  private static final Logger LOG = Logger.getLogger(SearchOutboxApplier.class);

  private final DocumentCatalog catalog;
  private final OpenSearchLexicalIndex lexical;
  private final VectorGenerations generations;
  private final EmbeddingCache cache;

  SearchOutboxApplier(DocumentCatalog catalog, LexicalIndex lexical, VectorGenerations generations,
      EmbeddingCache cache) {
    if (!(lexical instanceof OpenSearchLexicalIndex cluster)) {
      throw new IllegalStateException("only the cluster backend keeps a search outbox");
    }
    this.catalog = catalog;
    this.lexical = cluster;
    this.generations = generations;
    this.cache = cache;
  }

  /** Applies the entries; returns the ids of those left for an instance that has their vector generation open. */
  Set<Long> apply(List<SearchOutbox.Entry> entries) {
    Map<String, Integer> olderThan = new HashMap<>();
    Set<String> deleted = new HashSet<>();
    Set<Long> left = new HashSet<>();
    int versions = 0;
    int vectors = 0;
    for (SearchOutbox.Entry e : entries) {
      switch (e.kind()) {
        case PUBLISH -> {
          if (e.version() > 1) {
            olderThan.merge(e.documentId(), e.version(), Math::max);
          }
          Optional<Document> d = e.pending() && e.published() ? publishedVersion(e) : Optional.empty();
          if (d.isPresent()) {
            List<Chunk> chunks = catalog.chunks(e.documentId(), e.version());
            if (written(e, () -> lexical.add(d.get(), chunks))) {
              versions++;
            }
          }
        }
        case VECTORS -> {
          if (!e.published() || !Objects.equals(e.vectorGeneration(), e.generation())) {
            continue; // replaced, deleted or embedded again since: nothing to write
          }
          Optional<VectorGeneration> generation = generations.generation(e.generation());
          Optional<VectorStore> store = generations.store(e.generation());
          if (generation.isEmpty() || store.isEmpty()) {
            left.add(e.id()); // a generation this instance does not serve (a newer model): for one that does
            continue;
          }
          Optional<Document> d = publishedVersion(e);
          if (d.isEmpty()) {
            continue;
          }
          Optional<List<EmbeddedChunk>> cached = CachedVectors.find(catalog, cache, generation.get(), d.get());
          if (cached.isEmpty()) {
            LOG.warnf("search outbox: the vectors of document %s version %d are no longer in the embedding cache;"
                + " it is embedded again at the next start of an ingest instance", e.documentId(), e.version());
            catalog.setStatus(e.documentId(), e.version(), DocumentStatus.SEARCHABLE, null);
          } else if (written(e, () -> store.get().upsert(d.get(), cached.get()))) {
            vectors++;
          }
        }
        case DELETE -> deleted.add(e.documentId());
      }
    }
    removeEverywhere(olderThan, deleted);
    if (versions + vectors > 0) {
      LOG.infof("search outbox: indexed %d version(s) and the vectors of %d published while the search cluster was"
          + " away", versions, vectors);
    }
    return left;
  }

  /**
   * Runs one write to the search cluster for the entry; true when it was done. A refusal for good (not an outage,
   * which is thrown: the batch stays) marks the version FAILED with OpenSearch's reason, so it blocks nothing.
   */
  private boolean written(SearchOutbox.Entry e, Runnable write) {
    try {
      write.run();
      return true;
    } catch (StorageException failure) {
      if (StorageException.isTransient(failure)) {
        throw failure;
      }
      LOG.errorf(failure, "search outbox: the search cluster refused document %s version %d", e.documentId(),
          e.version());
      catalog.setStatus(e.documentId(), e.version(), DocumentStatus.FAILED,
          "the search cluster refused it: " + failure.getMessage());
      return false;
    }
  }

  /**
   * Removes replaced versions and deleted documents from every index this instance has open. A removal refused for
   * good is logged and left: the catalog hides what it would have removed, and {@link Archive#reconcile} removes it.
   */
  private void removeEverywhere(Map<String, Integer> olderThan, Set<String> deleted) {
    List<Runnable> removals = new java.util.ArrayList<>();
    if (!olderThan.isEmpty()) {
      removals.add(() -> lexical.deleteOlderVersions(olderThan));
    }
    if (!deleted.isEmpty()) {
      removals.add(() -> lexical.deleteDocuments(deleted));
    }
    removals.add(lexical::commit);
    for (VectorStore store : generations.open().values()) {
      if (store instanceof OpenSearchVectorStore cluster) {
        if (!olderThan.isEmpty()) {
          removals.add(() -> cluster.deleteOlderVersions(olderThan));
        }
        if (!deleted.isEmpty()) {
          removals.add(() -> cluster.deleteDocuments(deleted));
        }
      }
    }
    for (Runnable removal : removals) {
      try {
        removal.run();
      } catch (StorageException failure) {
        if (StorageException.isTransient(failure)) {
          throw failure;
        }
        LOG.errorf(failure, "search outbox: the search cluster refused a removal; what it would have removed stays"
            + " hidden by the catalog until the next start repairs the indexes");
      }
    }
  }

  private Optional<Document> publishedVersion(SearchOutbox.Entry e) {
    return catalog.find(e.documentId()).filter(d -> d.version() == e.version());
  }
}
