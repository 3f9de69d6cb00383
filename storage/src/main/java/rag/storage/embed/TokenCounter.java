package rag.storage.embed;

/** Counts tokens the way budgets are computed; shared by ingest (chunk sizes) and query (prompt budgets). */
public interface TokenCounter {
  int count(String text);

  /** The tokenizer's name, e.g. {@code cl100k_base}. */
  String name();
}
