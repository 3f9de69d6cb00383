package rag.storage.model;

import java.util.Objects;

/**
 * A piece of one version of a document, the unit of retrieval. {@code id} is derived from the
 * document id, the document version and the ordinal (see {@link ChunkId}), so it is stable for a
 * given version and never reused by another version.
 */
public record Chunk(String id, String documentId, int version, int ordinal, String text, int tokenCount,
    Provenance provenance) {

  public Chunk {
    Objects.requireNonNull(documentId, "documentId");
    Objects.requireNonNull(text, "text");
    if (ordinal < 0) {
      throw new IllegalArgumentException("illegal chunk ordinal " + ordinal + ", must be >= 0");
    }
    if (version < 1) {
      throw new IllegalArgumentException("illegal document version " + version + ", must be >= 1");
    }
    if (tokenCount < 0) {
      throw new IllegalArgumentException("illegal token count " + tokenCount + ", must be >= 0");
    }
    if (id == null) {
      id = ChunkId.of(documentId, version, ordinal);
    }
    if (provenance == null) {
      provenance = Provenance.NONE;
    }
  }

  /** A chunk of a version that is not known yet; the version is set by {@link #withVersion}. */
  public static Chunk draft(int ordinal, String text, int tokenCount, Provenance provenance) {
    return new Chunk("", "", 1, ordinal, text, tokenCount, provenance);
  }

  public Chunk withVersion(String documentId, int version) {
    return new Chunk(null, documentId, version, ordinal, text, tokenCount, provenance);
  }
}
