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
import rag.storage.model.Document;
import rag.storage.model.DocumentStatus;
import rag.storage.opensearch.OpenSearchLexicalIndex;
import rag.storage.opensearch.OpenSearchVectorStore;
import rag.storage.vector.VectorGeneration;
import rag.storage.vector.VectorGenerations;
import rag.storage.vector.VectorStore;

/**
 * Applies a batch of search outbox entries to the search cluster's indexes ({@link SearchOutbox}). Every step is
 * idempotent: a version is written under ids that carry its number, and removals are by document or by "versions
 * before", so a batch applied twice (the instance died before the catalog forgot it) changes nothing more. What an
 * entry writes comes from the catalog as it is when the batch is read: a version no longer published is not written
 * (a later entry removes it, or removed it already), so entries applied late or out of order (ids are taken at
 * insert, not at commit) never bring back what a later change took away. An entry the cluster refuses for good (not
 * an outage) marks its version FAILED with the reason instead of blocking the entries behind it.
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

  void apply(List<SearchOutbox.Entry> entries) {
    Map<String, Integer> olderThan = new HashMap<>();
    Set<String> deleted = new HashSet<>();
    int versions = 0;
    int vectors = 0;
    for (SearchOutbox.Entry e : entries) {
      try {
        switch (e.kind()) {
          case PUBLISH -> {
            if (e.pending() && e.published()) {
              Optional<Document> d = publishedVersion(e);
              if (d.isPresent()) {
                lexical.add(d.get(), catalog.chunks(e.documentId(), e.version()));
                versions++;
              }
            }
            if (e.version() > 1) {
              olderThan.merge(e.documentId(), e.version(), Math::max);
            }
          }
          case VECTORS -> {
            if (e.published() && Objects.equals(e.vectorGeneration(), e.generation()) && writeVectors(e)) {
              vectors++;
            }
          }
          case DELETE -> deleted.add(e.documentId());
        }
      } catch (RuntimeException failure) {
        if (StorageException.isTransient(failure)) {
          throw failure; // the cluster is away: the whole batch stays for the next attempt
        }
        LOG.errorf(failure, "search outbox: the search cluster refused document %s version %d", e.documentId(),
            e.version());
        catalog.setStatus(e.documentId(), e.version(), DocumentStatus.FAILED,
            "the search cluster refused it: " + failure.getMessage());
      }
    }
    if (!olderThan.isEmpty()) {
      lexical.deleteOlderVersions(olderThan);
    }
    if (!deleted.isEmpty()) {
      lexical.deleteDocuments(deleted);
    }
    lexical.commit();
    for (VectorStore store : generations.open().values()) {
      if (store instanceof OpenSearchVectorStore cluster) {
        if (!olderThan.isEmpty()) {
          cluster.deleteOlderVersions(olderThan);
        }
        if (!deleted.isEmpty()) {
          cluster.deleteDocuments(deleted);
        }
      }
    }
    if (versions + vectors > 0) {
      LOG.infof("search outbox: indexed %d version(s) and the vectors of %d published while the search cluster was"
          + " away", versions, vectors);
    }
  }

  private Optional<Document> publishedVersion(SearchOutbox.Entry e) {
    return catalog.find(e.documentId()).filter(d -> d.version() == e.version());
  }

  /** False when nothing was written (the version changed since, or its vectors are no longer cached). */
  private boolean writeVectors(SearchOutbox.Entry e) {
    Optional<Document> d = publishedVersion(e);
    Optional<VectorGeneration> generation = generations.generation(e.generation());
    Optional<VectorStore> store = generations.store(e.generation());
    if (d.isEmpty() || generation.isEmpty() || store.isEmpty()) {
      return false;
    }
    if (CachedVectors.write(catalog, cache, generation.get(), store.get(), d.get())) {
      return true;
    }
    LOG.warnf("search outbox: the vectors of document %s version %d are no longer in the embedding cache; it is"
        + " embedded again at the next start of an ingest instance", e.documentId(), e.version());
    catalog.setStatus(e.documentId(), e.version(), DocumentStatus.SEARCHABLE, null);
    return false;
  }
}
