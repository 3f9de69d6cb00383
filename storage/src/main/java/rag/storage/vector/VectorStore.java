package rag.storage.vector;

import java.io.Closeable;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import rag.storage.model.Document;
import rag.storage.model.Hit;

/**
 * Approximate nearest-neighbour index (HNSW, cosine) over the chunk embeddings of one {@link VectorGeneration}: one
 * model, one fixed dimension. Like the lexical index it holds chunks of any version; {@link rag.storage.Archive}
 * filters hits against the catalog.
 */
public interface VectorStore extends Closeable {

  /** The dimension every vector must have; fixed when the store is first created. */
  int dimension();

  /**
   * Replaces the vectors of one document version by {@code chunks}; durable and visible when this
   * returns. Throws {@link IllegalArgumentException} for a vector of the wrong dimension.
   */
  void upsert(Document document, List<EmbeddedChunk> chunks);

  void deleteVersion(String documentId, int version);

  void deleteDocument(String documentId);

  /** Every version of each of these documents, at once; durable when this returns. */
  void deleteDocuments(Collection<String> documentIds);

  /** Removes every vector of the collection (it now searches another generation). */
  void deleteCollection(String collection);

  /** Best (highest cosine similarity) first; at most {@code query.k()}. Scores are cosine similarity. */
  List<Hit> nearest(VectorQuery query);

  /** The version keys of every document version with vectors. */
  Set<String> versionKeys();

  long vectorCount();

  /** Vectors stored for one document version. */
  long vectorCount(String documentId, int version);

  /** Compacts the index or refreshes its statistics for faster searches (slow; for after bulk loads). */
  String optimize();
}
