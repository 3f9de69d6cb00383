package rag.storage.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One version of a document in a collection. A document keeps its {@code id} across versions
 * (same collection and source path); {@code version} grows by one on every replacement.
 */
public record Document(
    String id,
    String collection,
    int version,
    String sourceName,
    String sourcePath,
    String mediaType,
    String sha256,
    long sizeBytes,
    String title,
    String language,
    Integer pageCount,
    long tokenCount,
    int chunkCount,
    DocumentStatus status,
    String error,
    Instant createdAt,
    Instant updatedAt,
    Map<String, String> metadata) {

  public Document {
    CollectionNames.requireValidName(collection);
    Objects.requireNonNull(sourcePath, "sourcePath");
    Objects.requireNonNull(mediaType, "mediaType");
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    if (sourceName == null) {
      int slash = sourcePath.lastIndexOf('/');
      sourceName = slash < 0 ? sourcePath : sourcePath.substring(slash + 1);
    }
    if (status == null) {
      status = DocumentStatus.SEARCHABLE;
    }
  }

  /** A new document, before the catalog has given it an id, a version and timestamps. */
  public static Document draft(String collection, String sourcePath, String mediaType, String sha256,
      long sizeBytes, String title, String language, Integer pageCount, Map<String, String> metadata) {
    return new Document(null, collection, 0, null, sourcePath, mediaType, sha256, sizeBytes, title, language,
        pageCount, 0, 0, DocumentStatus.SEARCHABLE, null, null, null, metadata);
  }

  public Document withIdentity(String id, int version, Instant createdAt, Instant updatedAt, long tokenCount,
      int chunkCount) {
    return new Document(id, collection, version, sourceName, sourcePath, mediaType, sha256, sizeBytes, title,
        language, pageCount, tokenCount, chunkCount, status, error, createdAt, updatedAt, metadata);
  }

  public Document withStatus(DocumentStatus newStatus, String newError, Instant at) {
    return new Document(id, collection, version, sourceName, sourcePath, mediaType, sha256, sizeBytes, title,
        language, pageCount, tokenCount, chunkCount, newStatus, newError, createdAt, at, metadata);
  }
}
