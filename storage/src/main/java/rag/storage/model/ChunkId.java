package rag.storage.model;

import java.util.Optional;

/**
 * A chunk's identity, written {@code <documentId>:<version>:<ordinal>} wherever it leaves the process (indexes,
 * API, prompts' citation index). Document ids never hold a colon-free suffix that could be mistaken for the version
 * and ordinal: both are read from the right.
 */
public record ChunkId(String documentId, int version, int ordinal) {

  public ChunkId {
    if (documentId == null || documentId.isEmpty()) {
      throw new IllegalArgumentException("a chunk id needs a document id");
    }
    if (version < 0 || ordinal < 0) {
      throw new IllegalArgumentException("illegal chunk id version " + version + " or ordinal " + ordinal);
    }
  }

  /** A document version's identity, written {@code <documentId>:<version>}: the key indexes delete by. */
  public record Version(String documentId, int version) {
    /** Reads a version key; throws {@link IllegalArgumentException} for anything else. */
    public static Version parse(String key) {
      int colon = key.lastIndexOf(':');
      Optional<Integer> version = colon <= 0 ? Optional.empty() : number(key.substring(colon + 1));
      if (version.isEmpty()) {
        throw new IllegalArgumentException("not a document version key: '" + key + "'");
      }
      return new Version(key.substring(0, colon), version.get());
    }

    @Override
    public String toString() {
      return versionKey(documentId, version);
    }
  }

  /** The wire form of a chunk id. */
  public static String of(String documentId, int version, int ordinal) {
    return documentId + ":" + version + ":" + ordinal;
  }

  /** The key shared by all chunks of one document version; indexes delete by it. */
  public static String versionKey(String documentId, int version) {
    return documentId + ":" + version;
  }

  /** Reads a chunk id; empty for anything that is not one (ids from clients are never trusted). */
  public static Optional<ChunkId> parse(String id) {
    if (id == null) {
      return Optional.empty();
    }
    int last = id.lastIndexOf(':');
    int middle = last <= 0 ? -1 : id.lastIndexOf(':', last - 1);
    if (middle <= 0) {
      return Optional.empty();
    }
    Optional<Integer> version = number(id.substring(middle + 1, last));
    Optional<Integer> ordinal = number(id.substring(last + 1));
    if (version.isEmpty() || ordinal.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ChunkId(id.substring(0, middle), version.get(), ordinal.get()));
  }

  public Version documentVersion() {
    return new Version(documentId, version);
  }

  @Override
  public String toString() {
    return of(documentId, version, ordinal);
  }

  private static Optional<Integer> number(String s) {
    if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(s));
  }
}
