package rag.query.retrieve;

import java.util.Objects;
import rag.storage.model.SearchFilter;
import rag.storage.problem.InvalidInputException;

/**
 * A query for chunks, without generation: the text, the scope (a collection, optionally narrowed by the filter), the
 * ranking and how many chunks to return. Messages of refused values name the field, the value and what is allowed.
 *
 * @param retriever null gives {@link RetrieverKind#HYBRID}
 * @param topK the most chunks returned, {@code 1..}{@value #MAX_TOP_K}
 */
public record SearchRequest(String query, SearchFilter scope, RetrieverKind retriever, int topK) {
  public static final int DEFAULT_TOP_K = 10;
  public static final int MAX_TOP_K = 200;
  public static final int MAX_QUERY_CHARS = 20_000;

  public SearchRequest {
    if (query == null || query.isBlank()) {
      throw new InvalidInputException("the query is empty");
    }
    if (query.length() > MAX_QUERY_CHARS) {
      throw new InvalidInputException("the query has " + query.length() + " characters, at most " + MAX_QUERY_CHARS);
    }
    Objects.requireNonNull(scope, "scope");
    if (scope.collection() == null) {
      throw new IllegalArgumentException("a search's scope must name a collection");
    }
    retriever = retriever == null ? RetrieverKind.HYBRID : retriever;
    if (topK < 1 || topK > MAX_TOP_K) {
      throw new InvalidInputException("illegal topK " + topK + ", must be in 1.." + MAX_TOP_K);
    }
  }

  /** A hybrid search of the whole collection for the {@value #DEFAULT_TOP_K} best chunks. */
  public static SearchRequest of(String query, String collection) {
    return new SearchRequest(query, SearchFilter.collection(collection), RetrieverKind.HYBRID, DEFAULT_TOP_K);
  }
}
