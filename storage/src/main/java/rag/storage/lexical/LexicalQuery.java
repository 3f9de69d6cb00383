package rag.storage.lexical;

import java.util.Objects;
import rag.storage.model.SearchFilter;

/** Free text, analyzed like the indexed text and matched as a bag of terms (BM25). */
public record LexicalQuery(String text, SearchFilter filter, int k) {
  public LexicalQuery {
    Objects.requireNonNull(text, "text");
    filter = filter == null ? SearchFilter.all() : filter;
    if (k < 1 || k > 10_000) {
      throw new IllegalArgumentException("illegal k " + k + ", must be in 1..10000");
    }
  }
}
