package rag.storage;

/**
 * What the archive holds open now, for the service's gauges: the catalog's pooled database connections (in use, idle,
 * requests waiting for one, the pool's size) and the Lucene searchers of its indexes (open: the current one of each
 * index and older ones still in use; in use: searches running).
 */
public record StoreUse(int connectionsActive, int connectionsIdle, int connectionsPending, int connectionsMax,
    int searchersOpen, int searchersInUse) {}
