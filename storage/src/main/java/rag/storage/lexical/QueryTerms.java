package rag.storage.lexical;

import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;

/**
 * A query's distinct terms for each field of the chunk index, as both BM25 engines search them: each term once, in
 * the text (prose) and code fields, and boosted in the title field. Analysing queries here, with the very analyzers
 * Lucene indexes with, keeps the engines' queries identical; the search cluster's index-time analysis is mapped to
 * the same chain and checked against these analyzers by the tests.
 */
public record QueryTerms(Set<String> text, Set<String> code, Set<String> title) {
  public static final String TEXT = "text";
  public static final String CODE = "code";
  public static final String TITLE = "title";
  private static final int MAX_QUERY_TERMS = 256;

  /** One analyzer for the three fields (prose for everything else). Thread-safe. */
  public static Analyzer analyzer() {
    return new PerFieldAnalyzerWrapper(Analyzers.prose(), Map.of(CODE, Analyzers.code(), TITLE, Analyzers.title()));
  }

  public static QueryTerms of(Analyzer analyzer, String query) {
    return new QueryTerms(Analyzers.terms(analyzer, TEXT, query, MAX_QUERY_TERMS),
        Analyzers.terms(analyzer, CODE, query, MAX_QUERY_TERMS),
        Analyzers.terms(analyzer, TITLE, query, MAX_QUERY_TERMS));
  }

  /** No term of the text or code fields: the query matches nothing (a title alone does not make a hit). */
  public boolean matchesNothing() {
    return text.isEmpty() && code.isEmpty();
  }
}
