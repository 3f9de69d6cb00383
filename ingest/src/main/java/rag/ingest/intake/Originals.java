package rag.ingest.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;
import rag.storage.blobs.BlobStore;

/**
 * The original bytes of each document's published version, kept so that a citation can open the
 * source itself (a PDF at its page). A document's file is replaced with its version and removed with it.
 */
public final class Originals {
  private static final Pattern ID = Pattern.compile("[0-9A-Za-z-]{1,64}");
  private static final String BLOB_PREFIX = "original/";

  private final Path dir;
  private final BlobStore shared;

  public Originals(Path dir) {
    this(dir, null);
  }

  /**
   * @param shared where the originals are kept for every instance (the cluster backend); the directory then only
   *     holds the copy {@link #find} last made of each, replaced at every call since another instance may have
   *     replaced the document's version meanwhile
   */
  public Originals(Path dir, BlobStore shared) {
    this.dir = dir;
    this.shared = shared;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the originals directory " + dir, e);
    }
  }

  /** Moves a spooled file to be the document's original (replacing an older version's). */
  public void keep(String documentId, Path spooled) {
    try {
      if (shared != null) {
        shared.put(BLOB_PREFIX + checked(documentId), spooled);
        Files.deleteIfExists(spooled);
        return;
      }
      Files.move(spooled, file(documentId), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the original of document " + documentId, e);
    }
  }

  public boolean has(String documentId) {
    return shared != null ? shared.exists(BLOB_PREFIX + checked(documentId)) : Files.exists(file(documentId));
  }

  public Optional<Path> find(String documentId) {
    Path p = file(documentId);
    if (shared != null) {
      return shared.copyTo(BLOB_PREFIX + documentId, p) ? Optional.of(p) : Optional.empty();
    }
    return Files.exists(p) ? Optional.of(p) : Optional.empty();
  }

  public void delete(String documentId) {
    try {
      if (shared != null) {
        shared.delete(BLOB_PREFIX + checked(documentId));
      }
      Files.deleteIfExists(file(documentId));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the original of document " + documentId, e);
    }
  }

  private Path file(String documentId) {
    return dir.resolve(checked(documentId));
  }

  private static String checked(String documentId) {
    if (!ID.matcher(documentId).matches()) {
      throw new IllegalArgumentException("illegal document id '" + documentId + "'");
    }
    return documentId;
  }
}
