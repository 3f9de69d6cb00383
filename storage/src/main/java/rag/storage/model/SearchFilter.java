package rag.storage.model;

import java.util.HashSet;
import java.util.Set;

/**
 * The scope of a search: what the question asks for ({@code collection}, documents, media types, a path prefix) and
 * what the caller may read ({@code readable}). Null or empty members of the first kind do not restrict:
 * {@code collection} null means every collection, an empty set means any value, a null or empty {@code pathPrefix}
 * any path. {@code readable} null means the caller is not limited (the service's own tools, evaluations, a service
 * without access control); otherwise only those collections are searched, and an empty set searches nothing.
 */
public record SearchFilter(String collection, Set<String> documentIds, Set<String> mediaTypes, String pathPrefix,
    Set<String> readable) {

  public SearchFilter {
    documentIds = documentIds == null ? Set.of() : Set.copyOf(documentIds);
    mediaTypes = mediaTypes == null ? Set.of() : Set.copyOf(mediaTypes);
    readable = readable == null ? null : Set.copyOf(readable);
    if (pathPrefix != null && pathPrefix.isEmpty()) {
      pathPrefix = null;
    }
  }

  /** A scope for a caller that is not limited to some collections. */
  public SearchFilter(String collection, Set<String> documentIds, Set<String> mediaTypes, String pathPrefix) {
    this(collection, documentIds, mediaTypes, pathPrefix, null);
  }

  /** True when the document is in this scope: the same rules the indexes apply to a chunk's document. */
  public boolean matches(Document d) {
    return (collection == null || collection.equals(d.collection()))
        && permits(d.collection())
        && (documentIds.isEmpty() || documentIds.contains(d.id()))
        && (mediaTypes.isEmpty() || mediaTypes.contains(d.mediaType()))
        && (pathPrefix == null || d.sourcePath().startsWith(pathPrefix));
  }

  /** True when the caller may read the collection. */
  public boolean permits(String collectionName) {
    return readable == null || readable.contains(collectionName);
  }

  /** True when no collection can match: the caller may read none of the ones asked for. */
  public boolean excludesEverything() {
    return readable != null && (readable.isEmpty() || (collection != null && !readable.contains(collection)));
  }

  /** This scope, further limited to what a caller may read (null: no further limit). Limits only ever narrow. */
  public SearchFilter readableOnly(Set<String> collections) {
    if (collections == null) {
      return this;
    }
    Set<String> narrowed = new HashSet<>(collections);
    if (readable != null) {
      narrowed.retainAll(readable);
    }
    return new SearchFilter(collection, documentIds, mediaTypes, pathPrefix, narrowed);
  }

  public static SearchFilter collection(String collection) {
    return new SearchFilter(collection, Set.of(), Set.of(), null);
  }

  public static SearchFilter all() {
    return new SearchFilter(null, Set.of(), Set.of(), null);
  }
}
