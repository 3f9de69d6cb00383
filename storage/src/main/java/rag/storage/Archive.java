package rag.storage;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntFunction;
import org.jboss.logging.Logger;
import rag.storage.audit.AuditStore;
import rag.storage.blobs.BlobStore;
import rag.storage.catalog.CatalogReader;
import rag.storage.catalog.DocumentCatalog;
import rag.storage.catalog.StorageException;
import rag.storage.catalog.TokenCountStore;
import rag.storage.embed.EmbeddingCache;
import rag.storage.evals.EvalRunStore;
import rag.storage.evals.QuestionSetStore;
import rag.storage.jobs.JobFile;
import rag.storage.keys.ApiKeyStore;
import rag.storage.jobs.JobStore;
import rag.storage.lexical.LexicalIndex;
import rag.storage.lucene.LuceneBacked;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.Chunk;
import rag.storage.model.ChunkId;
import rag.storage.model.CollectionDeletion;
import rag.storage.model.CollectionStats;
import rag.storage.model.Document;
import rag.storage.model.DocumentStatus;
import rag.storage.model.Hit;
import rag.storage.model.ScoredChunk;
import rag.storage.vector.CollectionVectors;
import rag.storage.vector.EmbeddedChunk;
import rag.storage.vector.VectorGeneration;
import rag.storage.vector.VectorGenerations;
import rag.storage.vector.VectorQuery;
import rag.storage.vector.VectorStore;

/**
 * The stores together, and the one place that keeps them consistent for readers.
 *
 * <p>Writing a document version: stage it in the catalog (invisible), add its chunks to the
 * lexical index and commit, then publish it in the catalog (one transaction that also drops the
 * version it replaces), then purge the old version from the indexes. Searches filter index hits
 * through the catalog, so a reader sees the old version or the new one, never a mix and never a
 * half-written version. Vectors come later ({@link #addVectors}); until then a document is found by
 * BM25 only. On the cluster backend the catalog also keeps a search outbox: when the search cluster cannot be
 * written, a version is published (and its vectors recorded) all the same, and {@link #applySearchOutbox} indexes it
 * once the cluster answers. Deleting a collection ({@link #deleteCollection}) hides all of it in one catalog
 * transaction under the same lock as publishing, so a search sees the whole collection or none of it.
 *
 * <p>Vectors belong to a {@link VectorGeneration} (one embedding model) and each collection searches one generation.
 * Vectors are written into the current generation (the configured embedder's). A collection that searches an older
 * one (the model was changed) is searched with BM25 only by questions of the current model, keeps its old vectors
 * for anyone asking in the old model, and {@link #switchOver switches} in one catalog transaction once every document
 * has vectors of the current model; then its old vectors are deleted. A search never compares vectors of two models.
 */
public final class Archive implements Closeable {
  private static final Logger LOG = Logger.getLogger(Archive.class);
  /** The embedded catalog database's file name under the data directory. */
  public static final String CATALOG_FILE = "catalog.db";
  private static final int MAX_FETCH = 10_000;

  private final DocumentCatalog catalog;
  private final LexicalIndex lexical;
  private final VectorGenerations generations;
  private final CatalogStores stores;
  private final ReentrantLock[] writeLocks = new ReentrantLock[64];
  /**
   * Publishing and deleting a collection take the write side; a search and its catalog check take
   * the read side. A search therefore reads the index and the catalog on the same side of every
   * publish and every collection deletion: the index is refreshed before the publish, so a search
   * that sees a version published also sees its chunks; and the catalog check, one query per
   * document, cannot see some documents of a collection before its deletion and others after.
   * Dropping a vector generation's store takes the write side too, so no search is using it.
   */
  private final ReentrantReadWriteLock visibility = new ReentrantReadWriteLock();
  private final Map<String, Document> abandonedStaged = new java.util.concurrent.ConcurrentHashMap<>();
  private final Runnable onClose;
  private final HikariDataSource pool;
  private final CatalogReader reader;

  public Archive(DocumentCatalog catalog, LexicalIndex lexical, VectorGenerations generations, CatalogStores stores,
      Runnable onClose) {
    this(catalog, lexical, generations, stores, null, onClose);
  }

  /** @param pool the catalog's connection pool, whose use {@link #storeUse} reports; null when not known */
  public Archive(DocumentCatalog catalog, LexicalIndex lexical, VectorGenerations generations, CatalogStores stores,
      HikariDataSource pool, Runnable onClose) {
    this.pool = pool;
    this.catalog = catalog;
    this.lexical = lexical;
    this.generations = generations;
    this.stores = stores;
    this.onClose = onClose;
    this.reader = new ReadOnlyCatalog(catalog);
    for (int i = 0; i < writeLocks.length; i++) {
      writeLocks[i] = new ReentrantLock();
    }
  }

  /**
   * The catalog's reads, for planning, retrieval, prompt assembly and the API: a view that cannot write. Searches go
   * through {@link #lexicalSearch} and {@link #vectorSearch}, which see published versions only.
   */
  public CatalogReader reader() {
    return reader;
  }

  /** Creates the collection if it does not exist; returns true when it was created. */
  public boolean ensureCollection(String name) {
    boolean created = catalog.ensureCollection(name);
    if (created) {
      stores.questionSets().deleteCollection(name); // none may outlive a deletion cut short by a crash
    }
    return created;
  }

  /** Published documents of the collection without vectors of the current generation (what a re-index embeds). */
  public List<Document> withoutCurrentVectors(String collection) {
    return catalog.withoutVectorsIn(collection, generations.current().id());
  }

  /** Marks a published version FAILED with the reason, e.g. when its embedding failed (it stays searchable by BM25). */
  public boolean markFailed(Document document, String reason) {
    return catalog.setStatus(document.id(), document.version(), DocumentStatus.FAILED, reason);
  }

  /**
   * The raw stores, for the storage layer's tests and the benchmarks of the engines themselves. They bypass what this
   * class guarantees to readers (published versions only, the caller's readable collections) and to writers (the
   * order of catalog and index writes): the service's code reads through {@link #reader()}, {@link #lexicalSearch}
   * and {@link #vectorSearch} and writes through the methods here. A test of the app module keeps it so.
   */
  public Internals internals() {
    return new Internals(catalog, lexical, generations.currentStore());
  }

  /** The raw stores; see {@link #internals()}. {@code vectors} is the store of the current generation. */
  public record Internals(DocumentCatalog catalog, LexicalIndex lexical, VectorStore vectors) {
  }

  /** Vectors stored for this version in the generation its collection searches (the current one before any). */
  public long vectorCount(Document document) {
    int generation = catalog.searchedGeneration(document.collection()).orElse(generations.current().id());
    return generations.store(generation).map(s -> s.vectorCount(document.id(), document.version())).orElse(0L);
  }

  /** The stores of every vector generation in use. */
  public VectorGenerations generations() {
    return generations;
  }

  /** The generation of the configured embedder. */
  public VectorGeneration currentGeneration() {
    return generations.current();
  }

  /** Which vectors the collection searches, from its stats (no query). */
  public CollectionVectors vectorState(CollectionStats collection) {
    return new CollectionVectors(collection.name(), generationOf(collection.vectorGeneration()), generations.current());
  }

  /** Which vectors the collection searches (one catalog read by primary key). */
  public CollectionVectors vectorState(String collection) {
    return new CollectionVectors(collection, generationOf(catalog.searchedGeneration(collection).orElse(null)),
        generations.current());
  }

  private VectorGeneration generationOf(Integer id) {
    if (id == null) {
      return null;
    }
    return generations.generation(id).orElseGet(() -> {
      catalog.generations().forEach(generations::learn); // registered by another instance since we opened
      return generations.generation(id).orElseThrow(() -> new IllegalStateException(
          "the catalog names vector generation " + id + " but does not list it"));
    });
  }

  /** Vectors of texts embedded before, kept in the catalog's database. */
  public EmbeddingCache embeddingCache() {
    return stores.embeddingCache();
  }

  /** Exact prompt token counts per document version and tokenizer, kept in the catalog's database. */
  public TokenCountStore tokenCounts() {
    return stores.tokenCounts();
  }

  /** Question sets kept with collections, for retrieval-accuracy reports. */
  public QuestionSetStore questionSets() {
    return stores.questionSets();
  }

  /** Evaluation runs (settings, state, result), kept in the catalog's database. */
  public EvalRunStore evalRuns() {
    return stores.evalRuns();
  }

  /** API keys and their grants, kept in the catalog's database. */
  public ApiKeyStore apiKeys() {
    return stores.apiKeys();
  }

  /** The audit log, kept in the catalog's database. */
  public AuditStore audit() {
    return stores.audit();
  }

  /** The stores beside the catalog (jobs, embedding cache, token counts, eval runs, keys, audit log). */
  public CatalogStores stores() {
    return stores;
  }

  /** The durable record of ingest jobs, kept in the catalog's database. */
  public JobStore jobs() {
    return stores.jobs();
  }

  /** Bytes every instance on the catalog's database reaches (uploads waiting for ingest, originals). */
  public BlobStore blobs() {
    return stores.blobs();
  }

  /** {@link #write(Document, List, JobFile)} for a version no ingest file waits for (tools, tests). */
  public Document write(Document draft, List<Chunk> chunks) {
    return write(draft, chunks, null);
  }

  /**
   * Writes a new version of the document at {@code draft.sourcePath()} and makes it visible
   * atomically, replacing the previous version if there is one. {@code chunks} are drafts
   * ({@link Chunk#draft}); the returned document is the published version. Throws
   * {@link rag.storage.catalog.CollectionDeletedException}, leaving nothing behind, when the
   * collection is deleted before the version is published, or when {@code writtenFor} (the ingest
   * file it comes from, or null) was cancelled by such a deletion.
   */
  public Document write(Document draft, List<Chunk> chunks, JobFile writtenFor) {
    ReentrantLock lock = writeLocks[writeLockOf(draft)];
    lock.lock();
    try {
      discardAbandoned(pathKey(draft));
      Document staged = catalog.stage(draft, chunks, writtenFor);
      List<Chunk> versioned = chunks.stream().map(c -> c.withVersion(staged.id(), staged.version())).toList();
      Optional<Integer> replaced;
      try {
        boolean indexed = index(List.of(staged), List.of(versioned));
        visibility.writeLock().lock();
        try {
          replaced = catalog.publish(staged.id(), staged.version(), indexed);
        } finally {
          visibility.writeLock().unlock();
        }
      } catch (RuntimeException e) {
        abandon(staged, e);
        throw e;
      }
      replaced.filter(v -> v != staged.version()).ifPresent(v -> purgeVersion(staged.id(), v));
      return staged;
    } finally {
      lock.unlock();
    }
  }

  private int writeLockOf(Document draft) {
    return Math.floorMod(pathKey(draft).hashCode(), writeLocks.length);
  }

  private static String pathKey(Document draft) {
    return draft.collection() + '\0' + draft.sourcePath();
  }

  /** One version to write: the arguments of {@link #write(Document, List, JobFile)}. */
  public record Write(Document draft, List<Chunk> chunks, JobFile writtenFor) {}

  /** What became of one {@link Write}: the published version, or why it failed (then nothing of it is visible). */
  public record Written(Document document, RuntimeException failure) {}

  /**
   * Writes several versions as {@link #write(Document, List, JobFile)} does, each published atomically, but together:
   * one catalog transaction stages them all, one index refresh makes them searchable, one transaction publishes them
   * (small files pay the per-transaction cost once per batch). When the batch fails as a whole (a collection deleted
   * meanwhile, one write the catalog refuses), each is written again on its own and gets its own outcome. A failure
   * that the database was unreachable is thrown instead: nothing of the batch was published, or what was is found
   * again by its bytes when the batch is redone.
   */
  public List<Written> writeAll(List<Write> writes) {
    Set<String> paths = new HashSet<>();
    boolean distinct = writes.stream().allMatch(w -> paths.add(pathKey(w.draft())));
    if (writes.size() < 2 || !distinct) {
      return writeEach(writes);
    }
    int[] locks = writes.stream().mapToInt(w -> writeLockOf(w.draft())).distinct().sorted().toArray();
    for (int i : locks) {
      writeLocks[i].lock();
    }
    try {
      writes.forEach(w -> discardAbandoned(pathKey(w.draft())));
      List<Document> staged;
      try {
        staged = catalog.stageAll(writes.stream()
            .map(w -> new DocumentCatalog.Staging(w.draft(), w.chunks(), w.writtenFor())).toList());
      } catch (RuntimeException e) {
        if (StorageException.isTransient(e)) {
          throw e;
        }
        return writeEach(writes); // nothing was staged
      }
      List<Optional<Integer>> replaced;
      try {
        List<List<Chunk>> versioned = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
          Document d = staged.get(i);
          versioned.add(writes.get(i).chunks().stream().map(c -> c.withVersion(d.id(), d.version())).toList());
        }
        boolean indexed = index(staged, versioned);
        visibility.writeLock().lock();
        try {
          replaced = catalog.publishAll(staged, indexed);
        } finally {
          visibility.writeLock().unlock();
        }
      } catch (RuntimeException e) {
        for (Document d : staged) {
          abandon(d, e);
        }
        if (StorageException.isTransient(e)) {
          throw e;
        }
        return writeEach(writes);
      }
      Map<String, Integer> superseded = new HashMap<>();
      for (int i = 0; i < writes.size(); i++) {
        Document d = staged.get(i);
        replaced.get(i).filter(v -> v != d.version()).ifPresent(v -> superseded.put(d.id(), v));
      }
      purgeVersions(superseded);
      return staged.stream().map(d -> new Written(d, null)).toList();
    } finally {
      for (int i : locks) {
        writeLocks[i].unlock();
      }
    }
  }

  /**
   * Adds staged versions' chunks to the lexical index and makes them searchable. True when done; false when the search
   * cluster is unreachable and the catalog keeps a search outbox: the versions are published all the same, and the
   * outbox indexes them once the cluster answers again ({@link #applySearchOutbox}), so ingest goes on meanwhile.
   */
  private boolean index(List<Document> staged, List<List<Chunk>> chunks) {
    try {
      for (int i = 0; i < staged.size(); i++) {
        lexical.add(staged.get(i), chunks.get(i));
      }
      lexical.commit();
      return true;
    } catch (RuntimeException e) {
      if (!deferrable(e)) {
        throw e;
      }
      LOG.warnf("the search index is unreachable (%s): %d version(s) published without it, the search outbox indexes"
          + " them once it answers", e.getMessage(), staged.size());
      return false;
    }
  }

  /** Whether a failure of the search index may be left to the search outbox: it keeps one and the index is away. */
  private boolean deferrable(RuntimeException e) {
    return catalog.keepsSearchOutbox() && StorageException.isTransient(e);
  }

  private List<Written> writeEach(List<Write> writes) {
    List<Written> written = new ArrayList<>(writes.size());
    for (Write w : writes) {
      try {
        written.add(new Written(write(w.draft(), w.chunks(), w.writtenFor()), null));
      } catch (RuntimeException e) {
        if (StorageException.isTransient(e)) {
          throw e;
        }
        written.add(new Written(null, e));
      }
    }
    return written;
  }

  private void abandon(Document staged, RuntimeException cause) {
    try {
      catalog.discard(staged.id(), staged.version());
      lexical.deleteVersion(staged.id(), staged.version());
      lexical.commit();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
      // the database went away: the next write of this document discards it first, so that a file redone after the
      // outage is version 1 again (other instances' staged versions are theirs: only this one's are remembered)
      abandonedStaged.put(pathKey(staged), staged);
    }
  }

  /** A version this instance staged and could not discard (the database was unreachable); discarded now. */
  private void discardAbandoned(String pathKey) {
    Document abandoned = abandonedStaged.remove(pathKey);
    if (abandoned == null) {
      return;
    }
    try {
      catalog.discard(abandoned.id(), abandoned.version());
      lexical.deleteVersion(abandoned.id(), abandoned.version());
    } catch (StorageException published) {
      if (StorageException.isTransient(published)) {
        abandonedStaged.put(pathKey, abandoned);
        throw published;
      }
      // published after all (the outage hid the commit's answer): nothing to discard
    }
  }

  private void purgeVersion(String documentId, int version) {
    purgeVersions(Map.of(documentId, version));
  }

  /** Removes these replaced versions (version by document id) from the indexes, with one refresh. */
  private void purgeVersions(Map<String, Integer> versions) {
    if (versions.isEmpty()) {
      return;
    }
    try {
      versions.forEach(lexical::deleteVersion);
      lexical.commit();
      for (VectorStore store : generations.open().values()) {
        versions.forEach(store::deleteVersion);
      }
    } catch (RuntimeException e) {
      // invisible already (the catalog dropped them); reconcile() removes them at the next start
      LOG.warnf(e, "could not purge replaced versions %s from the indexes", versions);
    }
  }


  /**
   * Stores the vectors of a published version in the current generation and marks it {@link DocumentStatus#READY}.
   * When the version was replaced or deleted meanwhile, the vectors are removed again and false is returned.
   * Vectors come from the configured embedder: {@code embedded} must be of the current generation's model.
   */
  public boolean addVectors(Document document, List<EmbeddedChunk> embedded) {
    VectorStore store = generations.currentStore();
    boolean stored = true;
    try {
      store.upsert(document, embedded);
    } catch (RuntimeException e) {
      if (!deferrable(e)) {
        throw e;
      }
      // the vectors are in the embedding cache, from where the search outbox writes them once the cluster answers
      LOG.warnf("the vector index is unreachable (%s): the vectors of document %s version %d are left to the search"
          + " outbox", e.getMessage(), document.id(), document.version());
      stored = false;
    }
    if (catalog.markEmbedded(document.id(), document.version(), generations.current().id(), stored)) {
      return true;
    }
    if (stored) {
      store.deleteVersion(document.id(), document.version());
    }
    return false;
  }

  /**
   * Applies up to {@code max} entries of the search outbox (cluster backend): what publishing, embedding and deleting
   * recorded for the search cluster in their catalog transactions ({@link rag.storage.catalog.SearchOutbox}). Returns
   * how many were applied; 0 when none wait, another instance is applying them, or the backend keeps no outbox.
   * Throws when the cluster is unreachable (the entries stay).
   */
  public int applySearchOutbox(int max) {
    if (!catalog.keepsSearchOutbox()) {
      return 0;
    }
    return catalog.drainSearchOutbox(max, new SearchOutboxApplier(catalog, lexical, generations,
        stores.embeddingCache())::apply);
  }

  /** The search outbox's backlog (always empty on the backends without one). */
  public rag.storage.catalog.SearchOutbox.Backlog searchOutboxBacklog() {
    return catalog.searchOutboxBacklog();
  }

  /**
   * If the collection searches an older generation and every published document of it with chunks now has vectors
   * of the current one, switches it over in one catalog transaction (searches use the old vectors before it and the
   * new ones after it, never both), then deletes its old vectors, and drops the old generation when nothing uses it
   * any more. Returns true when it switched. Cheap when there is nothing to switch (one read by primary key).
   */
  public boolean switchOver(String collection) {
    VectorGeneration current = generations.current();
    Optional<Integer> searched = catalog.searchedGeneration(collection);
    if (searched.isEmpty() || searched.get() == current.id()) {
      return false;
    }
    Optional<Integer> previous = catalog.switchGeneration(collection, current.id());
    if (previous.isEmpty()) {
      return false;
    }
    LOG.infof("collection %s switched from the vectors of %s to those of %s", collection,
        generationOf(previous.get()).describe(), current.describe());
    try {
      generations.store(previous.get()).ifPresent(s -> s.deleteCollection(collection));
      if (!catalog.generationsInUse().contains(previous.get())) {
        drop(previous.get());
      }
    } catch (RuntimeException e) {
      // unused already (the catalog switched); reconcile() removes them at the next start
      LOG.warnf(e, "could not delete the old vectors of collection %s", collection);
    }
    return true;
  }

  /** Drops a generation's store once no search can be using it (searches hold the read side). */
  private void drop(int generation) {
    visibility.writeLock().lock();
    try {
      generations.drop(generation);
    } finally {
      visibility.writeLock().unlock();
    }
  }

  /** Removes the document from the catalog and every index; false when it does not exist. */
  public boolean delete(String documentId) {
    Optional<Document> document = catalog.find(documentId);
    boolean existed = catalog.delete(documentId);
    try {
      lexical.deleteDocument(documentId);
      lexical.commit();
      for (VectorStore store : generations.open().values()) {
        store.deleteDocument(documentId);
      }
    } catch (RuntimeException e) {
      if (!deferrable(e)) {
        throw e;
      }
      LOG.warnf("the search index is unreachable (%s): document %s leaves it through the search outbox",
          e.getMessage(), documentId);
    }
    // it may have been the last document without vectors of the current model
    document.ifPresent(d -> switchOver(d.collection()));
    return existed;
  }

  /**
   * Deletes a collection: one catalog transaction, under the lock that publishing takes, unpublishes
   * every document of the collection, removes the collection (its name is free again) and cancels
   * the unfinished files of its ingest jobs, so that from that instant no search, listing or lookup
   * sees any of it, and nothing staged for it can be published any more. Its documents are then
   * purged from both indexes. Empty when there is no such collection.
   *
   * <p>The caller then removes what it keeps for those documents outside the archive (originals,
   * conversations) and calls {@link #completeDeletion}. Until then, across crashes too, the deletion
   * stays {@link #pendingDeletions() pending}: invisible, but with its list of documents.
   */
  public Optional<CollectionDeletion> deleteCollection(String name) {
    Optional<CollectionDeletion> deletion;
    visibility.writeLock().lock();
    try {
      deletion = catalog.deleteCollection(name);
    } finally {
      visibility.writeLock().unlock();
    }
    deletion.ifPresent(d -> stores.questionSets().deleteCollection(name));
    deletion.ifPresent(this::purge);
    return deletion;
  }

  /** Deletions begun and not completed (a crash came in between, or one is under way), oldest first. */
  public List<CollectionDeletion> pendingDeletions() {
    return catalog.pendingDeletions();
  }

  /** Purges the deletion's documents from the indexes (again: idempotent), then forgets them and the deletion. */
  public void completeDeletion(CollectionDeletion deletion) {
    purge(deletion);
    catalog.forgetDeletion(deletion.id());
  }

  private void purge(CollectionDeletion deletion) {
    if (deletion.documentIds().isEmpty()) {
      return;
    }
    lexical.deleteDocuments(deletion.documentIds());
    lexical.commit();
    for (VectorStore store : generations.open().values()) {
      store.deleteDocuments(deletion.documentIds());
    }
  }

  /** BM25 over published versions; best first. */
  public List<ScoredChunk> lexicalSearch(LexicalQuery query) {
    if (query.filter().excludesEverything()) {
      return List.of();
    }
    return published(k -> lexical.search(new LexicalQuery(query.text(), query.filter(), k)), query.k(), null,
        query.filter().readable());
  }

  /**
   * Nearest neighbours over published versions that have vectors; best first. Only collections that search the
   * query's generation (its {@link VectorQuery#model() model}: the current one when null) are searched: the vectors
   * of a collection that searches another model's generation cannot be compared with the query and are left out.
   */
  public List<ScoredChunk> vectorSearch(VectorQuery query) {
    Optional<VectorGeneration> generation = query.model() == null ? Optional.of(generations.current())
        : generations.find(query.model(), query.vector().length);
    if (generation.isEmpty() || query.filter().excludesEverything()) {
      return List.of();
    }
    int id = generation.get().id();
    String collection = query.filter().collection();
    if (collection != null && !catalog.searchedGeneration(collection).equals(Optional.of(id))) {
      return List.of();
    }
    // the store is looked up under the read lock: a generation is dropped under the write lock
    return published(k -> generations.store(id).map(s -> s.nearest(query.withK(k))).orElse(List.of()), query.k(), id,
        query.filter().readable());
  }

  /**
   * Keeps the hits whose version the catalog has published. Hits of other versions (being written,
   * or replaced and not yet purged) are dropped; when that leaves fewer than k, the index is asked
   * again for more. With a {@code generation}, only hits of collections that search it are kept; with {@code readable}
   * collections, only hits of those (the indexes filter by them already: this check does not trust them to).
   */
  private List<ScoredChunk> published(IntFunction<List<Hit>> search, int k, Integer generation,
      Set<String> readable) {
    int fetch = k;
    List<ScoredChunk> result = List.of();
    for (int attempt = 0; attempt < 4; attempt++) {
      List<Hit> hits;
      Map<String, Chunk> chunks;
      visibility.readLock().lock();
      try {
        hits = search.apply(fetch);
        List<String> ids = hits.stream().map(Hit::chunkId).toList();
        chunks = catalog.publishedChunks(ids, generation, readable);
      } finally {
        visibility.readLock().unlock();
      }
      List<ScoredChunk> kept = new ArrayList<>(Math.min(k, hits.size()));
      for (Hit hit : hits) {
        Chunk chunk = chunks.get(hit.chunkId());
        if (chunk != null && kept.size() < k) {
          kept.add(new ScoredChunk(chunk, hit.score()));
        }
      }
      result = kept;
      int dropped = hits.size() - chunks.size();
      if (dropped == 0 || kept.size() >= k || fetch >= MAX_FETCH) {
        break;
      }
      fetch = Math.min(MAX_FETCH, 2 * fetch + dropped);
    }
    return result;
  }

  /**
   * Brings the indexes in line with the catalog after a crash or when the lexical index was lost:
   * drops unpublished versions everywhere, re-adds published versions missing from the lexical
   * index (from the catalog's chunk text), and marks documents whose vectors are missing as
   * {@link DocumentStatus#SEARCHABLE} again so that they are embedded anew. The documents of
   * {@link #pendingDeletions() pending collection deletions} are unpublished, so their index entries
   * go too; the deletions themselves stay pending until their owner completes them. For the vector generations it
   * finishes what a crash interrupted: it switches collections whose re-index is complete, deletes vectors nothing
   * searches any more (a collection's vectors in a generation it left, unless a re-index toward that generation put
   * them there) and drops generations nothing uses. Call before any writer starts.
   */
  public ReconcileReport reconcile() {
    return reconcile(Duration.ZERO);
  }

  /**
   * {@link #reconcile()} for an archive other instances write to at the same time (the cluster backend): only
   * unpublished versions staged more than {@code stagedGrace} ago are discarded as left by a crash; younger ones may
   * be another instance's write in progress, so they and their index entries stay (a later start discards them
   * once they are that old).
   */
  public ReconcileReport reconcile(Duration stagedGrace) {
    int discarded = stagedGrace.isZero() ? catalog.discardUnpublished()
        : catalog.discardUnpublished(Instant.now().minus(stagedGrace));
    Set<String> published = catalog.publishedVersionKeys();
    Set<String> inProgress = stagedGrace.isZero() ? Set.of() : catalog.unpublishedVersionKeys();

    Set<String> indexed = lexical.versionKeys();
    int lexicalRemoved = 0;
    for (String key : difference(difference(indexed, published), inProgress)) {
      ChunkId.Version v = ChunkId.Version.parse(key);
      lexical.deleteVersion(v.documentId(), v.version());
      lexicalRemoved++;
    }
    int lexicalRebuilt = 0;
    List<Document> all = catalog.allPublished();
    for (Document d : all) {
      if (!indexed.contains(ChunkId.versionKey(d.id(), d.version()))) {
        lexical.add(d, catalog.chunks(d.id(), d.version()));
        lexicalRebuilt++;
      }
    }
    lexical.commit();

    int switched = 0;
    Map<String, Integer> searchedBy = new HashMap<>();
    for (CollectionStats c : catalog.collections()) {
      if (switchOver(c.name())) {
        switched++; // a crash came between the last document's vectors and the switch
      }
    }
    for (CollectionStats c : catalog.collections()) {
      if (c.vectorGeneration() != null) {
        searchedBy.put(c.name(), c.vectorGeneration());
      }
    }
    Map<String, String> collectionOf = new HashMap<>();
    all.forEach(d -> collectionOf.put(ChunkId.versionKey(d.id(), d.version()), d.collection()));
    Map<String, Integer> generationOf = catalog.publishedVectorGenerations();
    int current = generations.current().id();
    Map<Integer, Set<String>> kept = new HashMap<>();
    int vectorsRemoved = 0;
    for (Map.Entry<VectorGeneration, VectorStore> e : generations.open().entrySet()) {
      int g = e.getKey().id();
      Set<String> keys = new HashSet<>();
      for (String key : e.getValue().versionKeys()) {
        String collection = collectionOf.get(key);
        if (collection != null && (g == current || Objects.equals(searchedBy.get(collection), g)
            || Objects.equals(generationOf.get(key), g))) {
          keys.add(key);
        } else {
          ChunkId.Version v = ChunkId.Version.parse(key);
          e.getValue().deleteVersion(v.documentId(), v.version());
          vectorsRemoved++;
        }
      }
      kept.put(g, keys);
    }
    int vectorsMissing = 0;
    for (Document d : all) {
      String key = ChunkId.versionKey(d.id(), d.version());
      Integer recorded = generationOf.get(key);
      if (d.status() != DocumentStatus.READY || d.chunkCount() == 0
          || (recorded != null && kept.getOrDefault(recorded, Set.of()).contains(key))) {
        continue;
      }
      Integer searched = searchedBy.get(d.collection());
      Integer found = searched != null && kept.getOrDefault(searched, Set.of()).contains(key) ? searched
          : kept.get(current).contains(key) ? Integer.valueOf(current) : null;
      if (found != null) {
        catalog.markEmbedded(d.id(), d.version(), found);
      } else {
        catalog.setStatus(d.id(), d.version(), DocumentStatus.SEARCHABLE, null);
        vectorsMissing++;
      }
    }
    int dropped = 0;
    Set<Integer> inUse = catalog.generationsInUse();
    for (VectorGeneration g : new ArrayList<>(generations.open().keySet())) {
      if (g.id() != current && !inUse.contains(g.id())) {
        drop(g.id());
        dropped++;
      }
    }
    ReconcileReport report = new ReconcileReport(discarded, lexicalRemoved, lexicalRebuilt, vectorsRemoved,
        vectorsMissing, switched, dropped, catalog.pendingDeletions().size());
    if (!report.isClean()) {
      LOG.infof("reconciled the indexes with the catalog: %s", report);
    }
    return report;
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> d = new HashSet<>(a);
    d.removeAll(b);
    return d;
  }

  /** Compacts the indexes after a bulk load (slow); returns what each store did. */
  /**
   * Copies the stores of an embedded archive into {@code target}, as they lie under {@code dataDir}, while reads and
   * writes go on: each Lucene index from a snapshot of a fresh commit, then the catalog database from one read
   * transaction ({@link DocumentCatalog#copyTo}). The indexes are copied first, so the catalog may hold a little
   * more: {@link #reconcile()} on the copy indexes what they lack (from the catalog's chunk text; missing vectors are
   * embedded again) and drops what the catalog never published. Returns the files written.
   */
  public List<Path> snapshotTo(Path dataDir, Path target) throws IOException {
    List<Path> written = new ArrayList<>();
    for (LuceneBacked index : luceneIndexes()) {
      Path relative = dataDir.toAbsolutePath().relativize(index.luceneIndex().path().toAbsolutePath());
      written.addAll(index.luceneIndex().copySnapshotTo(target.resolve(relative)));
    }
    Path catalogCopy = target.resolve(CATALOG_FILE);
    catalog.copyTo(catalogCopy);
    written.add(catalogCopy);
    return written;
  }

  /** The connections and Lucene searchers held open now ({@link StoreUse}). */
  public StoreUse storeUse() {
    int active = 0;
    int idle = 0;
    int pending = 0;
    int max = 0;
    HikariPoolMXBean beans = pool == null ? null : pool.getHikariPoolMXBean();
    if (beans != null) {
      active = beans.getActiveConnections();
      idle = beans.getIdleConnections();
      pending = beans.getThreadsAwaitingConnection();
      max = pool.getMaximumPoolSize();
    }
    int open = 0;
    int inUse = 0;
    for (LuceneBacked index : luceneIndexes()) {
      open += index.luceneIndex().searchersOpen();
      inUse += index.luceneIndex().searchersInUse();
    }
    return new StoreUse(active, idle, pending, max, open, inUse);
  }

  private List<LuceneBacked> luceneIndexes() {
    List<LuceneBacked> indexes = new ArrayList<>();
    if (lexical instanceof LuceneBacked l) {
      indexes.add(l);
    }
    for (VectorStore store : generations.open().values()) {
      if (store instanceof LuceneBacked l) {
        indexes.add(l);
      }
    }
    return indexes;
  }

  /**
   * Rebuilds the search cluster's indexes from the catalog while searches go on ({@link SearchRebuild}).
   *
   * @throws UnsupportedOperationException on the embedded and postgres backends (their BM25 index is a Lucene folder)
   */
  public SearchRebuild.Report rebuildSearch() {
    return new SearchRebuild(catalog, lexical, generations.open(), stores.embeddingCache()).run();
  }

  public String optimize() {
    return "lexical: " + lexical.optimize() + "; vectors: " + generations.currentStore().optimize();
  }

  /** True when every store answers. */
  /** What the readiness check reports: whether the catalog and the indexes answer, and which vector store serves. */
  public record Health(boolean catalog, boolean indexes, String vectorStore) {}

  public Health health() {
    boolean catalogAnswers;
    try {
      catalogAnswers = catalog.isHealthy();
    } catch (RuntimeException e) {
      catalogAnswers = false;
    }
    return new Health(catalogAnswers, isHealthy(), generations.currentStore().toString());
  }

  public boolean isHealthy() {
    try {
      return catalog.isHealthy() && lexical.chunkCount() >= 0 && generations.currentStore().vectorCount() >= 0;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    try (Closeable last = onClose::run; Closeable c = catalog; Closeable l = lexical; Closeable v = generations) {
      // closed in reverse order: vectors, lexical, catalog, then the connection pool
    }
  }

  /** What {@link #reconcile()} repaired, and how many collection deletions are left to complete. */
  public record ReconcileReport(int unpublishedDiscarded, int lexicalVersionsRemoved, int lexicalVersionsRebuilt,
      int vectorVersionsRemoved, int documentsMissingVectors, int collectionsSwitched, int generationsDropped,
      int collectionDeletionsPending) {
    public boolean isClean() {
      return unpublishedDiscarded + lexicalVersionsRemoved + lexicalVersionsRebuilt + vectorVersionsRemoved
          + documentsMissingVectors + collectionsSwitched + generationsDropped + collectionDeletionsPending == 0;
    }
  }
}
