package rag.storage.vector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import rag.storage.lexical.LuceneLexicalIndex;
import rag.storage.lucene.LuceneBacked;
import rag.storage.lucene.ManagedIndex;
import rag.storage.model.Document;
import rag.storage.model.Hit;

/**
 * The embedded vector store of one generation: Lucene HNSW ({@link KnnFloatVectorField}, cosine) in its own index
 * directory. The dimension and the model name are kept in the index's commit data and checked at open.
 * Searches ask HNSW for {@code max(k, efSearch)} candidates and keep the best k, which lifts recall
 * from about 0.8 to 0.99 at k=10 for under a millisecond.
 */
public final class LuceneHnswVectorStore implements VectorStore, LuceneBacked {
  static final String VECTOR = "vector";
  static final String DIMENSION_KEY = "rag.vector.dimension";
  static final String MODEL_KEY = "rag.vector.model";

  private final Path path;
  private final int dimension;
  private final int efSearch;
  private final ManagedIndex index;

  public LuceneHnswVectorStore(Path path, int dimension, String model, HnswParams hnsw) {
    if (dimension < 1 || dimension > 4096) {
      throw new IllegalArgumentException("illegal vector dimension " + dimension + ", must be in 1..4096");
    }
    this.path = path;
    this.dimension = dimension;
    this.efSearch = hnsw.efSearch();
    IndexWriterConfig config = new IndexWriterConfig().setRAMBufferSizeMB(128)
        .setCodec(new Lucene912Codec() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return new Lucene99HnswVectorsFormat(hnsw.m(), hnsw.efConstruction());
          }
        });
    this.index = new ManagedIndex(path, config, new SearcherFactory());
    Map<String, String> data = index.committedData();
    String stored = data.get(DIMENSION_KEY);
    if (stored != null && (Integer.parseInt(stored) != dimension || !model.equals(data.get(MODEL_KEY)))) {
      try {
        index.close();
      } catch (IOException e) {
        // the mismatch is the error worth reporting
      }
      throw new DimensionMismatchException(path.toString(), Integer.parseInt(stored), data.get(MODEL_KEY),
          dimension, model);
    }
    if (stored == null) {
      index.setCommitData(Map.of(DIMENSION_KEY, Integer.toString(dimension), MODEL_KEY, model));
      index.commitNow();
    }
  }

  @Override
  public ManagedIndex luceneIndex() {
    return index;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public void upsert(Document document, List<EmbeddedChunk> chunks) {
    List<org.apache.lucene.document.Document> docs = new ArrayList<>(chunks.size());
    for (EmbeddedChunk embedded : chunks) {
      requireDimension(embedded);
      var doc = new org.apache.lucene.document.Document();
      ManagedIndex.addChunkFields(doc, document, embedded.chunk().id());
      doc.add(new KnnFloatVectorField(VECTOR, embedded.vector(), VectorSimilarityFunction.COSINE));
      docs.add(doc);
    }
    index.replaceVersion(document.id(), document.version(), docs);
    index.commit();
  }

  private void requireDimension(EmbeddedChunk embedded) {
    if (embedded.vector().length != dimension) {
      throw new IllegalArgumentException("vector of chunk " + embedded.chunk().id() + " has dimension "
          + embedded.vector().length + ", the store's is " + dimension);
    }
  }

  @Override
  public void deleteVersion(String documentId, int version) {
    index.deleteVersion(documentId, version);
    index.commit();
  }

  @Override
  public void deleteDocument(String documentId) {
    index.deleteDocument(documentId);
    index.commit();
  }

  @Override
  public void deleteDocuments(Collection<String> documentIds) {
    index.deleteDocuments(documentIds);
    index.commit();
  }

  @Override
  public void deleteCollection(String collection) {
    index.deleteCollection(collection);
    index.commit();
  }

  @Override
  public List<Hit> nearest(VectorQuery query) {
    if (query.vector().length != dimension) {
      throw new IllegalArgumentException("query vector has dimension " + query.vector().length
          + ", the store's is " + dimension);
    }
    List<Query> filters = LuceneLexicalIndex.filterClauses(query.filter());
    Query filter = null;
    if (!filters.isEmpty()) {
      BooleanQuery.Builder b = new BooleanQuery.Builder();
      filters.forEach(f -> b.add(f, Occur.FILTER));
      filter = b.build();
    }
    int candidates = Math.max(query.k(), efSearch);
    Query knn = new KnnFloatVectorQuery(VECTOR, query.vector(), candidates, filter);
    // Lucene's cosine score is (1 + cos) / 2; report the cosine itself, as pgvector does.
    return index.search(searcher -> {
      try {
        ScoreDoc[] all = searcher.search(knn, candidates).scoreDocs;
        return all.length <= query.k() ? all : Arrays.copyOf(all, query.k());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, score -> 2 * score - 1);
  }

  @Override
  public Set<String> versionKeys() {
    return index.versionKeys();
  }

  @Override
  public long vectorCount() {
    return index.liveDocs();
  }

  @Override
  public long vectorCount(String documentId, int version) {
    return index.count(documentId, version);
  }

  @Override
  public String optimize() {
    int before = index.segmentCount();
    index.forceMerge(1);
    return "merged " + before + " segments into " + index.segmentCount();
  }

  @Override
  public void close() throws IOException {
    index.close();
  }

  @Override
  public String toString() {
    return "Lucene HNSW at " + path;
  }
}
