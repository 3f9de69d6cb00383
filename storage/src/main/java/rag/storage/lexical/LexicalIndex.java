package rag.storage.lexical;

import java.io.Closeable;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Hit;

/**
 * BM25 index over chunk text. It indexes chunks of document versions whether or not the catalog
 * has published them; {@link rag.storage.Archive} filters hits against the catalog, so readers
 * only ever see published versions.
 */
public interface LexicalIndex extends Closeable {

  /** Adds (or re-adds, replacing) the chunks of one document version. Visible after {@link #commit()}. */
  void add(Document document, List<Chunk> chunks);

  void deleteVersion(String documentId, int version);

  void deleteDocument(String documentId);

  /** Every version of each of these documents. Visible after {@link #commit()}. */
  void deleteDocuments(Collection<String> documentIds);

  /**
   * Makes every write so far visible to searches that start afterwards, and durable on disk soon after (a group
   * commit: what a crash loses before it, {@code Archive.reconcile()} rebuilds from the catalog).
   */
  void commit();

  /** Best hits first; at most {@code query.k()}. */
  List<Hit> search(LexicalQuery query);

  /** The {@link rag.storage.model.ChunkId#versionKey version keys} of every document version indexed. */
  Set<String> versionKeys();

  /** Number of chunks indexed (all versions). */
  long chunkCount();

  /** Compacts the index for faster searches (slow; for after bulk loads); returns a short description. */
  String optimize();
}
