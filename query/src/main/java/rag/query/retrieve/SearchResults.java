package rag.query.retrieve;

import java.util.List;

/**
 * What a search found, best first.
 *
 * @param documentsWithoutVectors for {@code dense} and {@code hybrid}: published documents of the scope that have
 *     chunks but no vectors (still being embedded, or their embedding failed); {@code dense} cannot find them,
 *     {@code hybrid} finds them by BM25 alone. Null for {@code bm25}, which does not use vectors
 * @param warnings what made the results weaker than asked, for the person (e.g. the question could not be
 *     embedded, so {@code hybrid} ranked by BM25 alone); empty when nothing did
 */
public record SearchResults(List<SearchHit> hits, Integer documentsWithoutVectors, List<String> warnings) {
  public SearchResults {
    hits = List.copyOf(hits);
    warnings = List.copyOf(warnings);
  }
}
