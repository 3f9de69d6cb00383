package rag.storage.lucene;

/** A store kept in a Lucene index on this machine, which a backup copies from a snapshot. */
public interface LuceneBacked {
  ManagedIndex luceneIndex();
}
