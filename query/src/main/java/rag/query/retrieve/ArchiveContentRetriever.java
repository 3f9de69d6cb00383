package rag.query.retrieve;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Provenance;
import rag.storage.model.SearchFilter;

/**
 * The archive as a LangChain4j {@link ContentRetriever}: each query is a {@link ChunkSearch} over a fixed scope, and
 * each chunk found becomes a {@link Content}, most relevant first, at most {@code maxResults}. The segment's text is
 * the chunk's text; its {@link Metadata} carries the keys below (a key is absent when the chunk has no such value,
 * e.g. no page in a transcript). Values are strings, numbers included, because LangChain4j's
 * {@code DefaultContentInjector} reads the keys it shows with {@code getString} and fails on any other type;
 * {@code getInteger}, {@code getLong} and {@code getDouble} parse them. The content's {@link ContentMetadata#SCORE}
 * (a {@code Double}) is the search's score and
 * {@link ContentMetadata#EMBEDDING_ID} the chunk id (the key of its vector). The query's own metadata (chat memory)
 * is not used. Thread-safe.
 *
 * <pre>{@code
 * ContentRetriever retriever = ArchiveContentRetriever.builder()
 *     .search(chunkSearch).scope(SearchFilter.collection("docs")).retriever(RetrieverKind.HYBRID).maxResults(5)
 *     .build();
 * }</pre>
 */
public final class ArchiveContentRetriever implements ContentRetriever {
  /** Segment metadata keys (LangChain4j's snake case). */
  public static final String DOCUMENT_ID = "document_id";
  public static final String DOCUMENT_VERSION = "document_version";
  /** The document's source path in its collection, e.g. {@code team/report.pdf}. */
  public static final String SOURCE = "source";
  public static final String TITLE = "title";
  public static final String MEDIA_TYPE = "media_type";
  public static final String COLLECTION = "collection";
  public static final String CHUNK_ID = "chunk_id";
  public static final String PAGE = "page";
  public static final String PAGE_END = "page_end";
  public static final String LINE_START = "line_start";
  public static final String LINE_END = "line_end";
  public static final String START_MS = "start_ms";
  public static final String END_MS = "end_ms";
  public static final String SPEAKER = "speaker";
  /** The heading or, in source code, the declaration (symbol) the chunk is in. */
  public static final String SECTION = "section";
  public static final String SCORE = "score";
  public static final String RANK = "rank";
  /** {@code bm25}, {@code dense} or {@code hybrid}: what the score means. */
  public static final String RETRIEVER = "retriever";

  private final ChunkSearch search;
  private final SearchFilter scope;
  private final RetrieverKind retriever;
  private final int maxResults;

  private ArchiveContentRetriever(Builder b) {
    this.search = Objects.requireNonNull(b.search, "search");
    this.scope = Objects.requireNonNull(b.scope, "scope");
    this.retriever = b.retriever;
    this.maxResults = b.maxResults;
    if (scope.collection() == null) {
      throw new IllegalArgumentException("a search's scope must name a collection");
    }
    if (maxResults < 1 || maxResults > SearchRequest.MAX_TOP_K) {
      throw new IllegalArgumentException("illegal maxResults " + maxResults + ", must be in 1.."
          + SearchRequest.MAX_TOP_K);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The chunks of the scope that best match the query's text, most relevant first. */
  @Override
  public List<Content> retrieve(Query query) {
    SearchResults results = search.search(new SearchRequest(query.text(), scope, retriever, maxResults));
    return results.hits().stream().map(this::content).toList();
  }

  private Content content(SearchHit hit) {
    Chunk c = hit.chunk();
    Document d = hit.document();
    Provenance p = c.provenance();
    Metadata m = new Metadata();
    put(m, DOCUMENT_ID, d.id());
    put(m, DOCUMENT_VERSION, d.version());
    put(m, SOURCE, d.sourcePath());
    put(m, TITLE, d.title());
    put(m, MEDIA_TYPE, d.mediaType());
    put(m, COLLECTION, d.collection());
    put(m, CHUNK_ID, c.id());
    put(m, PAGE, p.pageStart());
    put(m, PAGE_END, p.pageEnd());
    put(m, LINE_START, p.lineStart());
    put(m, LINE_END, p.lineEnd());
    put(m, START_MS, p.startMs());
    put(m, END_MS, p.endMs());
    put(m, SPEAKER, p.speaker());
    put(m, SECTION, p.section());
    put(m, SCORE, hit.score());
    put(m, RANK, hit.rank());
    put(m, RETRIEVER, retriever.wireName());
    return Content.from(TextSegment.from(c.text(), m),
        Map.of(ContentMetadata.SCORE, hit.score(), ContentMetadata.EMBEDDING_ID, c.id()));
  }

  /** As a string, so that LangChain4j's {@code DefaultContentInjector} can show it; nothing when absent or blank. */
  private static void put(Metadata m, String key, Object value) {
    if (value != null && !value.toString().isBlank()) {
      m.put(key, value.toString());
    }
  }

  /** Builds an {@link ArchiveContentRetriever}; {@code search} and {@code scope} are required. */
  public static final class Builder {
    private ChunkSearch search;
    private SearchFilter scope;
    private RetrieverKind retriever = RetrieverKind.HYBRID;
    private int maxResults = SearchRequest.DEFAULT_TOP_K;

    private Builder() {}

    public Builder search(ChunkSearch search) {
      this.search = search;
      return this;
    }

    /** The collection searched, optionally narrowed by document ids, media types and a source path prefix. */
    public Builder scope(SearchFilter scope) {
      this.scope = scope;
      return this;
    }

    /** Default {@link RetrieverKind#HYBRID}. */
    public Builder retriever(RetrieverKind retriever) {
      this.retriever = Objects.requireNonNull(retriever, "retriever");
      return this;
    }

    /** The most contents per query, 1..{@value SearchRequest#MAX_TOP_K}; default {@value SearchRequest#DEFAULT_TOP_K}. */
    public Builder maxResults(int maxResults) {
      this.maxResults = maxResults;
      return this;
    }

    public ArchiveContentRetriever build() {
      return new ArchiveContentRetriever(this);
    }
  }
}
