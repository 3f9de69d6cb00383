package rag.storage.lexical;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.util.BytesRef;
import rag.storage.lucene.LuceneBacked;
import rag.storage.lucene.ManagedIndex;
import rag.storage.model.Chunk;
import rag.storage.model.ChunkContext;
import rag.storage.model.Document;
import rag.storage.model.Hit;
import rag.storage.model.MediaTypes;
import rag.storage.model.SearchFilter;

/**
 * BM25 on Lucene. Prose goes to the {@code text} field (stemmed), source code to the {@code code}
 * field (identifiers split); a query searches both.
 */
public final class LuceneLexicalIndex implements LexicalIndex, LuceneBacked {
  static final String TEXT = QueryTerms.TEXT;
  static final String CODE = QueryTerms.CODE;
  static final String TITLE = QueryTerms.TITLE;

  private final Analyzer analyzer;
  private final BM25Similarity similarity;
  private final float titleWeight;
  private final ManagedIndex index;

  public LuceneLexicalIndex(Path path, Bm25Params bm25) {
    this.analyzer = QueryTerms.analyzer();
    this.similarity = new BM25Similarity(bm25.k1(), bm25.b());
    this.titleWeight = bm25.titleWeight();
    IndexWriterConfig config = new IndexWriterConfig(analyzer).setSimilarity(similarity).setRAMBufferSizeMB(64);
    SearcherFactory factory = new SearcherFactory() {
      @Override
      public IndexSearcher newSearcher(IndexReader reader,
          IndexReader previous) {
        IndexSearcher searcher = new IndexSearcher(reader);
        searcher.setSimilarity(similarity);
        return searcher;
      }
    };
    this.index = new ManagedIndex(path, config, factory);
  }

  @Override
  public void add(Document document, List<Chunk> chunks) {
    boolean code = MediaTypes.isSourceCode(document.mediaType());
    List<org.apache.lucene.document.Document> docs = new ArrayList<>(chunks.size());
    for (Chunk chunk : chunks) {
      requireSameVersion(document, chunk);
      var doc = new org.apache.lucene.document.Document();
      ManagedIndex.addChunkFields(doc, document, chunk.id());
      doc.add(new TextField(code ? CODE : TEXT, chunk.text(), Field.Store.NO));
      String header = ChunkContext.header(document, chunk);
      if (!header.isEmpty()) {
        doc.add(new TextField(TITLE, header, Field.Store.NO));
      }
      if (document.title() != null && chunk.ordinal() == 0) {
        doc.add(new TextField(TEXT, document.title(), Field.Store.NO));
      }
      doc.add(new StoredField("ordinal", chunk.ordinal()));
      docs.add(doc);
    }
    index.replaceVersion(document.id(), document.version(), docs);
  }

  static void requireSameVersion(Document document, Chunk chunk) {
    if (!chunk.documentId().equals(document.id()) || chunk.version() != document.version()) {
      throw new IllegalArgumentException("chunk " + chunk.id() + " does not belong to document " + document.id()
          + " version " + document.version());
    }
  }

  @Override
  public void deleteVersion(String documentId, int version) {
    index.deleteVersion(documentId, version);
  }

  @Override
  public void deleteDocument(String documentId) {
    index.deleteDocument(documentId);
  }

  @Override
  public void deleteDocuments(Collection<String> documentIds) {
    index.deleteDocuments(documentIds);
  }

  @Override
  public void commit() {
    index.commit();
  }

  @Override
  public List<Hit> search(LexicalQuery query) {
    Query q = buildQuery(query);
    return index.search(searcher -> {
      try {
        return searcher.search(q, query.k()).scoreDocs;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, score -> score);
  }

  Query buildQuery(LexicalQuery query) {
    QueryTerms terms = QueryTerms.of(analyzer, query.text());
    if (terms.matchesNothing()) {
      return new MatchNoDocsQuery("no searchable terms in the query");
    }
    BooleanQuery.Builder should = new BooleanQuery.Builder();
    terms.text().forEach(t -> should.add(new TermQuery(new Term(TEXT, t)), Occur.SHOULD));
    terms.code().forEach(t -> should.add(new TermQuery(new Term(CODE, t)), Occur.SHOULD));
    if (titleWeight > 0) {
      terms.title().forEach(t -> should.add(new BoostQuery(new TermQuery(new Term(TITLE, t)), titleWeight),
          Occur.SHOULD));
    }
    BooleanQuery.Builder full = new BooleanQuery.Builder().add(should.build(), Occur.MUST);
    filterClauses(query.filter()).forEach(f -> full.add(f, Occur.FILTER));
    return full.build();
  }

  /** The filter as Lucene queries over the bookkeeping fields; shared with the HNSW vector store. */
  public static List<Query> filterClauses(SearchFilter filter) {
    List<Query> clauses = new ArrayList<>();
    if (filter.collection() != null) {
      clauses.add(new TermQuery(new Term(ManagedIndex.COLLECTION, filter.collection())));
    }
    if (filter.readable() != null) {
      clauses.add(filter.readable().isEmpty() ? new MatchNoDocsQuery("no readable collection")
          : new TermInSetQuery(ManagedIndex.COLLECTION, filter.readable().stream().map(BytesRef::new).toList()));
    }
    if (!filter.documentIds().isEmpty()) {
      clauses.add(new TermInSetQuery(ManagedIndex.DOCUMENT_ID,
          filter.documentIds().stream().map(BytesRef::new).toList()));
    }
    if (!filter.mediaTypes().isEmpty()) {
      clauses.add(new TermInSetQuery(ManagedIndex.MEDIA_TYPE,
          filter.mediaTypes().stream().map(BytesRef::new).toList()));
    }
    if (filter.pathPrefix() != null) {
      clauses.add(new PrefixQuery(new Term(ManagedIndex.SOURCE_PATH, filter.pathPrefix())));
    }
    return clauses;
  }

  @Override
  public Set<String> versionKeys() {
    return index.versionKeys();
  }

  @Override
  public long chunkCount() {
    return index.liveDocs();
  }

  @Override
  public String optimize() {
    int before = index.segmentCount();
    index.forceMerge(1);
    return "merged " + before + " segments into " + index.segmentCount();
  }

  @Override
  public ManagedIndex luceneIndex() {
    return index;
  }

  @Override
  public void close() throws IOException {
    index.close();
  }
}
