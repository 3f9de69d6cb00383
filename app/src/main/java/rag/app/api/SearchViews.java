package rag.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import rag.query.retrieve.SearchHit;
import rag.query.retrieve.SearchRequest;
import rag.query.retrieve.SearchResults;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Provenance;

/** The JSON shapes of {@code POST /api/collections/{collection}/search}. */
public final class SearchViews {
  private SearchViews() {}

  @Schema(name = "SearchRequest", description = "A query for ranked chunks, without generation. Unknown fields are"
      + " refused (400).")
  public record SearchBody(
      @Schema(required = true, description = "The text to search for, 1 to 20000 characters.",
          examples = "How often did the foghorn sound?")
      String query,
      @Schema(description = "bm25: Lucene BM25 over the chunks' text. dense: cosine kNN of the query's embedding; only"
          + " chunks with vectors, so documents still being embedded (or whose embedding failed) are not found."
          + " hybrid: both fused by reciprocal rank, near-duplicates of other documents dropped; a chunk without"
          + " vectors is ranked by BM25 alone. hybrid+rerank: hybrid with its fused top N ordered by the configured"
          + " reranker (rag.rerank.*; refused without one; the fused order with a warning when it fails).",
          enumeration = {"bm25", "dense", "hybrid", "hybrid+rerank"}, defaultValue = "hybrid")
      String retriever,
      @Schema(description = "The most chunks returned, 1..200.", defaultValue = "10", minimum = "1",
          maximum = "200")
      Integer topK,
      @Schema(description = "The same filters as /query.")
      QueryViews.Filters filters) {}

  @Schema(name = "SearchResponse")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SearchResponse(
      String query,
      String retriever,
      int topK,
      @Schema(description = "Best first; fewer than topK when fewer chunks match.")
      List<ResultView> results,
      @Schema(description = "dense and hybrid only: documents of the scope that have chunks but no vectors (being"
          + " embedded, or their embedding failed). dense cannot find them; hybrid finds them by BM25 alone.")
      Integer documentsWithoutVectors,
      @Schema(description = "What made the results weaker than asked, e.g. the query could not be embedded so"
          + " hybrid ranked by BM25 alone; empty otherwise.")
      List<String> warnings) {}

  @Schema(name = "SearchResult", description = "A chunk with its place in the document (only the fields its format"
      + " has: pages for PDFs and slides, lines and section (the declaration, for code), times and speaker for"
      + " transcripts) and its document.")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ResultView(
      int rank,
      @Schema(description = "bm25: the BM25 score; dense: the cosine similarity; hybrid: the reciprocal rank fusion"
          + " score; hybrid+rerank: the reranker's relevance (the fusion score past its top N or when it failed)."
          + " Comparable only within one response.")
      double score,
      @Schema(description = "hybrid and hybrid+rerank: rank in the BM25 list (absent when BM25 did not return the"
          + " chunk).")
      Integer bm25Rank,
      @Schema(description = "hybrid and hybrid+rerank: rank in the kNN list (absent when kNN did not, e.g. no"
          + " vectors yet).")
      Integer denseRank,
      String chunkId,
      @Schema(description = "0-based position of the chunk in its document.")
      int ordinal,
      String text,
      int tokens,
      Integer page,
      Integer pageEnd,
      Integer lineStart,
      Integer lineEnd,
      Long startMs,
      Long endMs,
      String speaker,
      String section,
      DocumentInfo document) {}

  @Schema(name = "SearchResultDocument", description = "The published version of the chunk's document.")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DocumentInfo(String id, int version, String title, String sourcePath, String sourceName,
      String mediaType,
      @Schema(description = "ready (has vectors), searchable (vectors pending) or failed (embedding failed)")
      String status) {}

  public static SearchResponse of(SearchRequest request, SearchResults results) {
    return new SearchResponse(request.query(), request.retriever().wireName(), request.topK(),
        results.hits().stream().map(SearchViews::result).toList(), results.documentsWithoutVectors(),
        results.warnings());
  }

  private static ResultView result(SearchHit hit) {
    Chunk c = hit.chunk();
    Provenance p = c.provenance();
    Document d = hit.document();
    return new ResultView(hit.rank(), hit.score(), hit.bm25Rank(), hit.denseRank(), c.id(), c.ordinal(), c.text(),
        c.tokenCount(), p.pageStart(), p.pageEnd(), p.lineStart(), p.lineEnd(), p.startMs(), p.endMs(), p.speaker(),
        p.section(), new DocumentInfo(d.id(), d.version(), d.title(), d.sourcePath(), d.sourceName(), d.mediaType(),
            d.status().wireName()));
  }
}
