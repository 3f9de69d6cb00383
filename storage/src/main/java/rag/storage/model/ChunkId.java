package rag.storage.model;

/** Chunk ids have the form {@code <documentId>:<version>:<ordinal>}. */
public final class ChunkId {
  private ChunkId() {}

  public static String of(String documentId, int version, int ordinal) {
    return documentId + ":" + version + ":" + ordinal;
  }

  /** The key shared by all chunks of one document version; indexes delete by it. */
  public static String versionKey(String documentId, int version) {
    return documentId + ":" + version;
  }
}
