package rag.app.cli;

import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.util.Locale;
import rag.ingest.IngestService;
import rag.storage.Archive;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobFile;
import rag.storage.model.CollectionNames;
import rag.storage.vector.CollectionVectors;

/**
 * {@code reindex <collection>}: embeds every document of the collection with the configured embedding model (from
 * the chunk text in the catalog), with a progress bar, through the service's own re-index job; the collection
 * switches to the new vectors when all documents have them. Exit code 0 when the collection ends up on the
 * configured model (or has no vectors to redo), 1 when some documents failed (it keeps its old vectors), 2 for a
 * usage error or an unknown collection.
 */
public class ReindexCommand implements QuarkusApplication {
  @Inject
  IngestService ingest;

  @Inject
  Archive archive;

  @Override
  public int run(String... args) throws Exception {
    PrintStream out = System.out;
    if (args.length != 2 || !CollectionNames.isValidName(args[1])) {
      System.err.println("usage: reindex <collection>");
      return 2;
    }
    String collection = args[1];
    if (archive.reader().collection(collection).isEmpty()) {
      System.err.println("reindex: no collection '" + collection + "'");
      return 2;
    }
    CollectionVectors before = archive.vectorState(collection);
    out.printf("collection '%s': %s; the configured embedding model is %s%n", collection,
        before.searched() == null ? "no vectors yet" : "vectors of " + before.searched().describe(),
        before.current().describe());
    IngestJob job = ingest.reindex(collection);
    if (job.files().isEmpty()) {
      out.println(before.needsReindex() && archive.vectorState(collection).needsReindex()
          ? "nothing to embed, but the collection could not switch (see the log)" : "nothing to re-index");
      return archive.vectorState(collection).needsReindex() ? 1 : 0;
    }
    out.printf("job %s: embedding %d documents with %s%n", job.id(), job.files().size(),
        before.current().describe());
    while (job.done() < job.files().size()) {
      Thread.sleep(250);
      job = archive.jobs().find(job.id()).orElseThrow();
      out.print("\r" + IngestCommand.progressLine(job));
      out.flush();
    }
    out.println();
    long failed = 0;
    for (JobFile f : job.files()) {
      if (f.status() == FileStatus.FAILED) {
        failed++;
        out.printf("failed  %s  (%s: %s)%n", f.sourcePath(), f.error().title(), f.error().detail());
      }
    }
    CollectionVectors after = archive.vectorState(collection);
    out.printf(Locale.ROOT, "%s: %d documents, %d failed%n", job.state().name().toLowerCase(Locale.ROOT),
        job.files().size(), failed);
    if (after.needsReindex()) {
      out.printf("collection '%s' still searches the vectors of %s; run reindex again once the failures are fixed%n",
          collection, after.searched().describe());
      return 1;
    }
    out.printf("collection '%s' now searches the vectors of %s%n", collection, after.current().describe());
    return failed == 0 ? 0 : 1;
  }
}
