package rag.storage.model;

import java.util.Objects;

/**
 * A piece of one version of a document, the unit of retrieval. {@code id} is derived from the
 * document id, the document version and the ordinal (see {@link ChunkId}), so it is stable for a
 * given version and never reused by another version. The first {@code overlapChars} characters of
 * {@code text} ({@code overlapTokens} of its tokens) repeat the end of the previous chunk, so that
 * the chunks without their overlaps give the document's text once.
 */
public record Chunk(String id, String documentId, int version, int ordinal, String text, int tokenCount,
    Provenance provenance, int overlapChars, int overlapTokens) {

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
    if (overlapChars < 0 || overlapChars > text.length()) {
      throw new IllegalArgumentException("illegal overlap of " + overlapChars + " chars in a chunk of " + text.length());
    }
    if (overlapTokens < 0 || overlapTokens > tokenCount) {
      throw new IllegalArgumentException("illegal overlap of " + overlapTokens + " tokens in a chunk of " + tokenCount);
    }
  }

  /** A chunk that repeats nothing of the previous one. */
  public Chunk(String id, String documentId, int version, int ordinal, String text, int tokenCount,
      Provenance provenance) {
    this(id, documentId, version, ordinal, text, tokenCount, provenance, 0, 0);
  }

  /** The text this chunk adds after the previous one. */
  public String newText() {
    return text.substring(overlapChars);
  }

  /** The tokens this chunk adds after the previous one. */
  public int newTokens() {
    return tokenCount - overlapTokens;
  }

  /** A chunk of a version that is not known yet; the version is set by {@link #withVersion}. */
  public static Chunk draft(int ordinal, String text, int tokenCount, Provenance provenance) {
    return new Chunk("", "", 1, ordinal, text, tokenCount, provenance, 0, 0);
  }

  /** A draft whose first {@code overlapChars} characters repeat the end of the previous chunk. */
  public static Chunk draft(int ordinal, String text, int tokenCount, Provenance provenance, int overlapChars,
      int overlapTokens) {
    return new Chunk("", "", 1, ordinal, text, tokenCount, provenance, overlapChars, overlapTokens);
  }

  public Chunk withVersion(String documentId, int version) {
    return new Chunk(null, documentId, version, ordinal, text, tokenCount, provenance, overlapChars, overlapTokens);
  }
}
