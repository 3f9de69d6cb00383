package rag.storage.catalog;

/**
 * The search outbox of the cluster backend (table {@code search_outbox}): what the search cluster's indexes still
 * need, written in the catalog transaction that made the change, so that no change is lost when the cluster is
 * unreachable, or when the instance that made it dies before it is applied. {@link rag.storage.Archive#applySearchOutbox}
 * applies the entries; their effects do not depend on the order in which they are applied.
 */
public final class SearchOutbox {
  private SearchOutbox() {}

  /** What an entry asks for. */
  public enum Kind {
    /**
     * Version {@code version} was published: the document's earlier versions leave the indexes, and when
     * {@code pending}, the version's chunks are indexed from the catalog.
     */
    PUBLISH,
    /** Pending always: the version's vectors are written into generation {@code generation}'s store. */
    VECTORS,
    /** The document was deleted: every version leaves every index. */
    DELETE
  }

  /**
   * One entry, with what the catalog held for its version when it was read: {@code published} (the version is still
   * the published one) and {@code vectorGeneration} (the generation that holds its vectors, or null).
   */
  public record Entry(long id, Kind kind, String documentId, int version, Integer generation, boolean pending,
      long createdAt, boolean published, Integer vectorGeneration) {}

  /** Entries waiting, and the age of the oldest in milliseconds. */
  public record Backlog(long entries, long oldestMillis) {}
}
