package rag.storage.model;

import java.util.Set;

/**
 * Restricts a search. Null or empty members do not restrict: {@code collection} null means every
 * collection, an empty set means any value, a null or empty {@code pathPrefix} any path.
 */
public record SearchFilter(String collection, Set<String> documentIds, Set<String> mediaTypes, String pathPrefix) {

  public SearchFilter {
    documentIds = documentIds == null ? Set.of() : Set.copyOf(documentIds);
    mediaTypes = mediaTypes == null ? Set.of() : Set.copyOf(mediaTypes);
    if (pathPrefix != null && pathPrefix.isEmpty()) {
      pathPrefix = null;
    }
  }

  /** True when the document is in this scope: the same rules the indexes apply to a chunk's document. */
  public boolean matches(Document d) {
    return (collection == null || collection.equals(d.collection()))
        && (documentIds.isEmpty() || documentIds.contains(d.id()))
        && (mediaTypes.isEmpty() || mediaTypes.contains(d.mediaType()))
        && (pathPrefix == null || d.sourcePath().startsWith(pathPrefix));
  }

  public static SearchFilter collection(String collection) {
    return new SearchFilter(collection, Set.of(), Set.of(), null);
  }

  public static SearchFilter all() {
    return new SearchFilter(null, Set.of(), Set.of(), null);
  }
}
