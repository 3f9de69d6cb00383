package rag.eval.beir;

import java.util.Objects;

/** One corpus entry: {@code _id}, {@code title} (empty when absent) and {@code text}. */
public record BeirDocument(String id, String title, String text) {
  public BeirDocument {
    Objects.requireNonNull(id, "id");
    title = title == null ? "" : title;
    Objects.requireNonNull(text, "text");
  }

  /** Title and text in one string, as BM25 baselines that index a single field ("flat") see the document. */
  public String titleAndText() {
    return title.isEmpty() ? text : title + "\n" + text;
  }
}
