package rag.storage.blobs;

import java.nio.file.Path;

/**
 * Named bytes in the catalog's database, which every instance of a cluster reaches: accepted uploads until they are
 * ingested, and the originals of documents. Names are paths such as {@code spool/<job>/<seq>}.
 */
public interface BlobStore {

  /** Stores the file's bytes under {@code name}, replacing what was there; durable when this returns. */
  void put(String name, Path file);

  /** Writes the bytes stored under {@code name} to {@code target}; false (and nothing written) when there are none. */
  boolean copyTo(String name, Path target);

  boolean exists(String name);

  /** Gives the bytes of {@code from} the name {@code to}, replacing what {@code to} held; false when there are none. */
  boolean rename(String from, String to);

  /** Idempotent. */
  void delete(String name);

  /** Deletes every blob whose name starts with {@code prefix}; how many parts went. */
  int deletePrefix(String prefix);
}
