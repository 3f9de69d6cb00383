package rag.eval.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import rag.eval.beir.BeirDocument;
import rag.eval.beir.RankedRetriever;
import rag.eval.metrics.ScoredDoc;
import rag.eval.stack.TextIndexer.TextDocument;
import rag.ingest.chunk.Chunker;
import rag.query.retrieve.FusedChunk;
import rag.query.retrieve.Fusion;
import rag.query.retrieve.RankFusion;
import rag.query.retrieve.HybridRetriever;
import rag.storage.embed.Embedder;
import rag.storage.lexical.LexicalQuery;
import rag.storage.lexical.Bm25Params;
import rag.storage.model.Document;
import rag.storage.model.SearchFilter;
import rag.storage.problem.InvalidInputException;
import rag.storage.vector.VectorQuery;

/**
 * A BEIR {@link RankedRetriever} over the service's own stack: the corpus is written into a scratch archive as
 * ingest writes documents (title and text as one plain-text section, cut by the service's chunker; vectors from the
 * service's embedder for {@link Kind#DENSE} and {@link Kind#HYBRID}), and a query ranks documents by their best
 * chunk: BM25 ({@link Kind#BM25}), cosine kNN of the question's embedding ({@link Kind#DENSE}) or the hybrid
 * retriever's reciprocal rank fusion of both, near-duplicates dropped ({@link Kind#HYBRID}). Chunks are fetched,
 * k at a time and then twice as many, until {@code k} distinct documents are found or the index runs out; the
 * first k distinct documents of a ranking are the k with the best chunks. Close it to delete its scratch archive.
 */
public final class ArchiveRetriever implements RankedRetriever, AutoCloseable {
  /** Which of the service's retrievers ranks the chunks. */
  public enum Kind {
    BM25, DENSE, HYBRID;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind parse(String name) {
      for (Kind kind : values()) {
        if (kind.wireName().equalsIgnoreCase(name == null ? "" : name.strip())) {
          return kind;
        }
      }
      throw new InvalidInputException("unknown retriever '" + name + "', must be bm25, dense or hybrid");
    }
  }

  private static final String COLLECTION = "beir";
  private static final int MAX_FETCH = 10_000;
  private static final int WRITE_BATCH = 64;

  private final Kind kind;
  private final Embedder embedder;
  private final Chunker chunker;
  private final Path scratchDir;
  private final int rrfK;
  private final double nearDuplicateThreshold;
  private final Map<String, String> corpusIds = new HashMap<>();
  private ScratchArchive scratch;
  private HybridRetriever hybrid;
  private Bm25Params bm25 = Bm25Params.DEFAULT;
  private boolean embedContext;
  private Fusion fusion;

  /**
   * @param embedder the service's embedder (wrap it in a {@link MemoizingEmbedder} shared by several retrievers
   *     to embed the corpus once); used for DENSE and HYBRID only
   */
  public ArchiveRetriever(Kind kind, Embedder embedder, Chunker chunker, Path scratchDir, int rrfK,
      double nearDuplicateThreshold) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.embedder = Objects.requireNonNull(embedder, "embedder");
    this.chunker = Objects.requireNonNull(chunker, "chunker");
    this.scratchDir = scratchDir;
    this.rrfK = rrfK;
    this.nearDuplicateThreshold = nearDuplicateThreshold;
  }

  /**
   * Indexes with these BM25 parameters (title weight included) and with or without chunk headers in what is
   * embedded (the service's {@code rag.index.*}); the defaults are the service's.
   */
  public ArchiveRetriever indexedWith(Bm25Params bm25, boolean embedContext) {
    this.bm25 = Objects.requireNonNull(bm25, "bm25");
    this.embedContext = embedContext;
    return this;
  }

  /** Fuses hybrid's rankings this way (default: plain reciprocal rank fusion with the given k). */
  public ArchiveRetriever fusedWith(Fusion fusion) {
    this.fusion = Objects.requireNonNull(fusion, "fusion");
    return this;
  }

  @Override
  public String name() {
    return kind.wireName();
  }

  @Override
  public void index(List<BeirDocument> corpus) {
    close();
    scratch = ScratchArchive.open(scratchDir, embedder.dimension(), embedder.modelName(), bm25);
    TextIndexer indexer = new TextIndexer(scratch.archive(), chunker, kind == Kind.BM25 ? null : embedder,
        COLLECTION, embedContext);
    for (int from = 0; from < corpus.size(); from += WRITE_BATCH) {
      List<BeirDocument> batch = corpus.subList(from, Math.min(corpus.size(), from + WRITE_BATCH));
      List<TextDocument> texts = batch.stream()
          .map(d -> new TextDocument(d.id(), d.title().isEmpty() ? null : d.title(), d.titleAndText())).toList();
      List<Document> written = indexer.writeAll(texts);
      for (int i = 0; i < batch.size(); i++) {
        corpusIds.put(written.get(i).id(), batch.get(i).id());
      }
    }
    hybrid = new HybridRetriever(scratch.archive(), embedder, fusion != null ? fusion : new RankFusion(rrfK),
        nearDuplicateThreshold);
  }

  @Override
  public List<ScoredDoc> search(String query, int k) {
    if (scratch == null) {
      throw new IllegalStateException("index the corpus before searching it");
    }
    // start with k chunks (per list, for hybrid): the near-duplicate filter of the hybrid retriever compares every
    // pair of fused candidates, so asking for more than needed costs query time; ask again for more when the chunks
    // hold fewer than k distinct documents
    int fetch = Math.min(MAX_FETCH, Math.max(10, k));
    int previous = -1;
    while (true) {
      List<ChunkHit> hits = chunks(query, fetch);
      Map<String, Double> best = new LinkedHashMap<>();
      for (ChunkHit hit : hits) {
        best.merge(corpusIds.get(hit.documentId()), hit.score(), Math::max);
      }
      // BM25 and kNN return fewer than asked only when the index runs out; fusion drops near-duplicates, so for
      // hybrid the index has run out when asking for more brings no more
      boolean exhausted = kind == Kind.HYBRID ? hits.size() <= previous : hits.size() < fetch;
      if (best.size() >= k || exhausted || fetch >= MAX_FETCH) {
        List<ScoredDoc> docs = new ArrayList<>(Math.min(k, best.size()));
        for (Map.Entry<String, Double> e : best.entrySet()) {
          if (docs.size() == k) {
            break;
          }
          docs.add(new ScoredDoc(e.getKey(), e.getValue()));
        }
        return docs;
      }
      previous = hits.size();
      fetch = Math.min(MAX_FETCH, 2 * fetch);
    }
  }

  /** A chunk's document and the score the document is ranked by (kept as a double: RRF scores differ finely). */
  private record ChunkHit(String documentId, double score) {}

  /** Chunk hits, best first. */
  private List<ChunkHit> chunks(String query, int fetch) {
    SearchFilter scope = SearchFilter.collection(COLLECTION);
    List<ChunkHit> hits = new ArrayList<>(fetch);
    switch (kind) {
      case BM25 -> scratch.archive().lexicalSearch(new LexicalQuery(query, scope, fetch))
          .forEach(c -> hits.add(new ChunkHit(c.chunk().documentId(), c.score())));
      case DENSE -> scratch.archive().vectorSearch(new VectorQuery(embedder.embedQuery(query), scope, fetch))
          .forEach(c -> hits.add(new ChunkHit(c.chunk().documentId(), c.score())));
      case HYBRID -> {
        for (FusedChunk f : hybrid.retrieve(query, scope, fetch)) {
          hits.add(new ChunkHit(f.chunk().documentId(), f.score()));
        }
      }
    }
    return hits;
  }

  @Override
  public void close() {
    if (scratch != null) {
      ScratchArchive open = scratch;
      scratch = null;
      hybrid = null;
      corpusIds.clear();
      open.close();
    }
  }
}
