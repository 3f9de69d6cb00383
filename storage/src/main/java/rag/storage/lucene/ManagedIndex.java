package rag.storage.lucene;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KeepOnlyLastCommitDeletionPolicy;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.ControlledRealTimeReopenThread;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.jboss.logging.Logger;
import rag.storage.model.ChunkId;
import rag.storage.model.Hit;

/**
 * One Lucene index on disk with what both of our Lucene indexes need: one writer, near-real-time
 * searchers refreshed in the background (a write is searchable within {@code maxStaleSeconds}),
 * group commits, and the chunk bookkeeping fields (chunk id, document id, version).
 *
 * <p>{@link #commit()} makes writes visible at once and durable within {@value #GROUP_COMMIT_MILLIS} ms: one
 * Lucene commit (its fsyncs) then covers every document written in that window, instead of one per document. Both
 * indexes are derived from the catalog, so writes lost to a crash inside the window are redone by
 * {@code Archive.reconcile()} at the next start (published versions missing from BM25 are indexed again from the
 * catalog's chunk text; documents missing vectors are embedded again).
 */
public final class ManagedIndex implements Closeable {
  public static final String CHUNK_ID = "chunk_id";
  public static final String DOCUMENT_ID = "document_id";
  public static final String VERSION_KEY = "version_key";
  public static final String VERSION = "version";
  public static final String COLLECTION = "collection";
  public static final String MEDIA_TYPE = "media_type";
  public static final String SOURCE_PATH = "source_path";

  private static final double MAX_STALE_SECONDS = 0.5;
  private static final double MIN_STALE_SECONDS = 0.02;
  static final long GROUP_COMMIT_MILLIS = 500;
  private static final Logger LOG = Logger.getLogger(ManagedIndex.class);

  private final Path path;
  private final FSDirectory directory;
  private final SnapshotDeletionPolicy snapshots;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final AtomicInteger searchersOpen = new AtomicInteger();
  private final AtomicInteger searchersInUse = new AtomicInteger();
  private final ControlledRealTimeReopenThread<IndexSearcher> reopener;
  private final ScheduledExecutorService committer;

  public ManagedIndex(Path path, IndexWriterConfig config, SearcherFactory searcherFactory) {
    try {
      this.path = path;
      this.directory = FSDirectory.open(path);
      this.snapshots = new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy());
      this.writer = new IndexWriter(directory, config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
          .setIndexDeletionPolicy(snapshots));
      if (!DirectoryReader.indexExists(directory)) {
        writer.commit(); // a new index exists on disk from the start, empty
      }
      this.searchers = new SearcherManager(writer, counting(searcherFactory));
      this.reopener = new ControlledRealTimeReopenThread<>(writer, searchers, MAX_STALE_SECONDS, MIN_STALE_SECONDS);
      reopener.setName("lucene-reopen-" + path.getFileName());
      reopener.setDaemon(true);
      reopener.start();
      String name = "lucene-commit-" + path.getFileName();
      this.committer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      });
      committer.scheduleWithFixedDelay(this::commitIfChanged, GROUP_COMMIT_MILLIS, GROUP_COMMIT_MILLIS,
          TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open Lucene index at " + path, e);
    }
  }

  /** Adds the bookkeeping fields every chunk document carries. */
  public static void addChunkFields(Document doc, rag.storage.model.Document source, String chunkId) {
    doc.add(new StringField(CHUNK_ID, chunkId, Field.Store.YES));
    doc.add(new StringField(DOCUMENT_ID, source.id(), Field.Store.YES));
    doc.add(new StringField(VERSION_KEY, ChunkId.versionKey(source.id(), source.version()), Field.Store.NO));
    doc.add(new StoredField(VERSION, source.version()));
    doc.add(new StringField(COLLECTION, source.collection(), Field.Store.NO));
    doc.add(new StringField(MEDIA_TYPE, source.mediaType(), Field.Store.NO));
    doc.add(new StringField(SOURCE_PATH, source.sourcePath(), Field.Store.NO));
  }

  /** Atomically replaces every chunk of one document version by {@code docs}. */
  public void replaceVersion(String documentId, int version, List<Document> docs) {
    Term key = new Term(VERSION_KEY, ChunkId.versionKey(documentId, version));
    if (docs.isEmpty()) {
      // Lucene 9.12 mis-accounts RAM for updateDocuments with no documents (assertion at close)
      delete(key);
      return;
    }
    try {
      writer.updateDocuments(key, docs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void deleteVersion(String documentId, int version) {
    delete(new Term(VERSION_KEY, ChunkId.versionKey(documentId, version)));
  }

  public void deleteDocument(String documentId) {
    delete(new Term(DOCUMENT_ID, documentId));
  }

  public void deleteDocuments(Collection<String> documentIds) {
    if (documentIds.isEmpty()) {
      return;
    }
    try {
      writer.deleteDocuments(documentIds.stream().map(id -> new Term(DOCUMENT_ID, id)).toArray(Term[]::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void deleteCollection(String collection) {
    delete(new Term(COLLECTION, collection));
  }

  private void delete(Term term) {
    try {
      writer.deleteDocuments(term);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void setCommitData(Map<String, String> data) {
    writer.setLiveCommitData(data.entrySet());
  }

  public Map<String, String> committedData() {
    Map<String, String> data = new HashMap<>();
    Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
    if (live != null) {
      live.forEach(e -> data.put(e.getKey(), e.getValue()));
    }
    return data;
  }

  /**
   * Visible to every search that starts after this returns; durable (fsync) within {@value #GROUP_COMMIT_MILLIS} ms,
   * with the other writes of that window.
   */
  public void commit() {
    try {
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Durable (fsync) and visible when this returns: for commit data and bulk operations. */
  public void commitNow() {
    try {
      writer.commit();
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void commitIfChanged() {
    try {
      if (writer.isOpen() && writer.hasUncommittedChanges()) {
        writer.commit();
      }
    } catch (AlreadyClosedException e) {
      // closing: close() commits
    } catch (IOException | RuntimeException e) {
      // the next round tries again; until then the catalog can rebuild what a crash would lose
      LOG.warnf(e, "group commit of the Lucene index failed");
    }
  }

  /** Counts the searchers open: each until its reader closes (released by every search that used it). */
  private SearcherFactory counting(SearcherFactory factory) {
    return new SearcherFactory() {
      @Override
      public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader) throws IOException {
        IndexSearcher searcher = factory.newSearcher(reader, previousReader);
        searchersOpen.incrementAndGet();
        reader.getReaderCacheHelper().addClosedListener(key -> searchersOpen.decrementAndGet());
        return searcher;
      }
    };
  }

  private IndexSearcher acquire() throws IOException {
    IndexSearcher searcher = searchers.acquire();
    searchersInUse.incrementAndGet();
    return searcher;
  }

  private void release(IndexSearcher searcher) throws IOException {
    searchersInUse.decrementAndGet();
    searchers.release(searcher);
  }

  /** Searchers whose reader is open: the current one, and older ones that searches still use (or leaked). */
  public int searchersOpen() {
    return searchersOpen.get();
  }

  /** Searches running on this index now. */
  public int searchersInUse() {
    return searchersInUse.get();
  }

  /** Runs {@code search} on the newest searcher and turns its results into hits. */
  public List<Hit> search(Function<IndexSearcher, ScoreDoc[]> search, Function<Float, Float> scoreMapping) {
    IndexSearcher searcher;
    try {
      searcher = acquire();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      ScoreDoc[] scoreDocs = search.apply(searcher);
      StoredFields stored = searcher.storedFields();
      Set<String> fields = Set.of(CHUNK_ID, DOCUMENT_ID, VERSION);
      List<Hit> hits = new ArrayList<>(scoreDocs.length);
      for (ScoreDoc sd : scoreDocs) {
        Document d = stored.document(sd.doc, fields);
        hits.add(new Hit(d.get(CHUNK_ID), d.get(DOCUMENT_ID), d.getField(VERSION).numericValue().intValue(),
            scoreMapping.apply(sd.score)));
      }
      return hits;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        release(searcher);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Runs {@code action} on the newest searcher. */
  public <T> T withSearcher(Function<IndexSearcher, T> action) {
    try {
      IndexSearcher searcher = acquire();
      try {
        return action.apply(searcher);
      } finally {
        release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Set<String> versionKeys() {
    return withSearcher(searcher -> {
      Set<String> keys = new HashSet<>();
      try {
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
          Terms terms = leaf.reader().terms(VERSION_KEY);
          if (terms == null) {
            continue;
          }
          Bits live = leaf.reader().getLiveDocs();
          TermsEnum te = terms.iterator();
          PostingsEnum postings = null;
          for (BytesRef term = te.next(); term != null; term = te.next()) {
            postings = te.postings(postings, PostingsEnum.NONE);
            for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
              if (live == null || live.get(doc)) {
                keys.add(term.utf8ToString());
                break;
              }
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return keys;
    });
  }

  /** Merges down to {@code maxSegments} segments, commits, and refreshes; slow on large indexes. */
  public void forceMerge(int maxSegments) {
    try {
      writer.forceMerge(maxSegments);
      commitNow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int segmentCount() {
    return withSearcher(searcher -> searcher.getIndexReader().leaves().size());
  }

  /** Live entries of one document version. */
  public long count(String documentId, int version) {
    Term key = new Term(VERSION_KEY, ChunkId.versionKey(documentId, version));
    return withSearcher(searcher -> {
      try {
        return (long) searcher.count(new TermQuery(key));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  public long liveDocs() {
    return withSearcher(searcher -> (long) searcher.getIndexReader().numDocs());
  }

  /** Refreshes the searcher now (tests and benchmarks); normal reads rely on the reopen thread. */
  public void refresh() {
    try {
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The index's folder. */
  public Path path() {
    return path;
  }

  /**
   * Commits, then copies the files of that commit point into {@code target} (a folder that is created) while writes go
   * on: the commit is held by a snapshot until the copy is done, so merges cannot delete its files meanwhile.
   * Returns the files copied.
   */
  public List<Path> copySnapshotTo(Path target) throws IOException {
    commitNow();
    IndexCommit commit = snapshots.snapshot();
    try {
      Files.createDirectories(target);
      List<Path> copied = new ArrayList<>();
      for (String name : commit.getFileNames()) {
        Path to = target.resolve(name);
        Files.copy(path.resolve(name), to, StandardCopyOption.COPY_ATTRIBUTES);
        copied.add(to);
      }
      return copied;
    } finally {
      snapshots.release(commit);
      writer.deleteUnusedFiles();
    }
  }

  public DirectoryReader openCommittedReader() throws IOException {
    return DirectoryReader.open(directory);
  }

  public boolean isOpen() {
    return writer.isOpen();
  }

  @Override
  public void close() throws IOException {
    committer.shutdown();
    try {
      committer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reopener.close();
    searchers.close();
    if (writer.isOpen()) {
      writer.commit();
      writer.close();
    }
    directory.close();
  }
}
