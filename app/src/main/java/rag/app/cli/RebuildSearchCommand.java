package rag.app.cli;

import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import rag.storage.Archive;
import rag.storage.SearchRebuild;

/**
 * {@code rebuild-search}: rebuilds the search cluster's indexes from PostgreSQL while the instances keep answering
 * (cluster backend; {@link Archive#rebuildSearch}). Exit code 0 when done, 1 when the backend has no such index or
 * the rebuild failed (the old index keeps serving), 2 for a usage error.
 */
public class RebuildSearchCommand implements QuarkusApplication {
  @Inject
  Archive archive;

  @Override
  public int run(String... args) {
    if (args.length != 1) {
      System.err.println("usage: rebuild-search");
      return 2;
    }
    try {
      SearchRebuild.Report r = archive.rebuildSearch();
      System.out.printf("rebuilt %s from PostgreSQL: %d document versions, %d chunks; vectors %s; caught up with %d"
          + " writes and %d removals made meanwhile; %d versions without cached vectors are marked for embedding"
          + " again; %.1f s%n", r.lexicalIndex(), r.versions(), r.chunks(), r.vectorVersions(), r.catchUpWrites(),
          r.catchUpRemovals(), r.vectorsMissing(), r.millis() / 1000.0);
      return 0;
    } catch (UnsupportedOperationException e) {
      System.err.println("rebuild-search: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      System.err.println("rebuild-search failed (the index searched before keeps serving): " + e.getMessage());
      return 1;
    }
  }
}
