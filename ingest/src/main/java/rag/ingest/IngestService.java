package rag.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import rag.ingest.intake.Intake;
import rag.ingest.intake.Upload;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobStore;
import rag.storage.model.CollectionDeletion;
import rag.storage.problem.InvalidInputException;

/** Entry point of ingestion for the API and the CLI: accept files durably, queue them, resume after a restart. */
public final class IngestService implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(IngestService.class);

  /** The worker queue is full; the caller should retry later. */
  public static final class QueueFullException extends Exception {
    public QueueFullException(int pending) {
      super("the ingest queue is full (" + pending + " files waiting); retry later");
    }

    QueueFullException(int files, int pending, int capacity) {
      super(files > capacity
          ? "the upload holds " + files + " files, more than the ingest queue takes at once (" + capacity
              + ", rag.ingest.queue-capacity); send them in smaller parts"
          : "the ingest queue cannot take the upload's " + files + " files now (" + pending + " of " + capacity
              + " waiting); retry later");
    }
  }

  /** A server-side path outside {@code rag.ingest.allowed-roots}. */
  public static final class ForbiddenPathException extends Exception {
    public ForbiddenPathException(String detail) {
      super(detail);
    }
  }

  private final Intake intake;
  private final IngestWorkers workers;
  private final JobStore jobs;
  private final List<Path> allowedRoots;

  public IngestService(Intake intake, IngestWorkers workers, JobStore jobs, List<Path> allowedRoots) {
    this.intake = intake;
    this.workers = workers;
    this.jobs = jobs;
    this.allowedRoots = allowedRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  /**
   * Resumes unfinished files of earlier runs; call once at start, after the archive is reconciled. With a shared
   * spool, the files this instance held when it stopped are only scratch copies: they go, and claims take the files;
   * uploads stored more than an hour ago for a job that was never recorded go too.
   */
  public int resume() {
    if (intake.spool().isShared()) {
      intake.spool().clearScratch();
      int orphans = jobs.discardUploadsWithoutFile(Instant.now().minus(Duration.ofHours(1)));
      if (orphans > 0) {
        LOG.infof("discarded %d stored upload parts whose job was never recorded", orphans);
      }
    }
    int resumed = workers.resume(jobs);
    if (resumed > 0) {
      LOG.infof("resumed %d unfinished ingest files", resumed);
    }
    return resumed;
  }

  public IngestJob submit(String collection, List<Upload> uploads) throws QueueFullException, IOException {
    if (!workers.hasCapacity()) {
      throw new QueueFullException(workers.pending()); // before spooling anything
    }
    IngestJob job = intake.prepare(collection, uploads);
    int files = IngestWorkers.queuedFiles(job);
    if (!workers.reserve(files)) { // all of the job's files or none: a large upload never overshoots the bound
      intake.discard(job);
      throw new QueueFullException(files, workers.pending(), workers.queueCapacity());
    }
    try {
      intake.record(job);
    } catch (RuntimeException e) {
      workers.release(files);
      intake.discard(job);
      throw e;
    }
    workers.submitReserved(job);
    return job;
  }

  /**
   * Embeds, with the configured model, every published document of the collection that lacks its vectors (after a
   * change of embedding model: all of them). The collection keeps its old vectors, and BM25, until every document
   * has new ones, then switches at once. The job is durable like an upload's and resumes after a restart; while it
   * is unfinished, asking again returns it. Throws {@link IllegalArgumentException} for an unknown collection.
   */
  public synchronized IngestJob reindex(String collection) {
    for (IngestJob job : jobs.unfinishedJobs()) {
      if (job.kind() == IngestJob.Kind.REINDEX && job.collection().equals(collection)) {
        return job;
      }
    }
    return workers.reindex(jobs, collection);
  }

  /** Ingests a server folder for the API: only under the allowed roots. See {@link #submitLocalFolder}. */
  public IngestJob submitFolder(String collection, Path folder) throws QueueFullException, ForbiddenPathException,
      IOException {
    return submitTree(collection, requireAllowed(folder));
  }

  /**
   * Ingests every regular file under {@code folder} (hidden files and folders skipped), keeping
   * relative paths as source paths. No allow-list: for the command line, run by someone who can read
   * the files anyway.
   */
  public IngestJob submitLocalFolder(String collection, Path folder) throws QueueFullException, IOException {
    if (!Files.isDirectory(folder)) {
      throw new InvalidInputException("'" + folder + "' is not a directory");
    }
    return submitTree(collection, folder.toAbsolutePath().normalize().toRealPath());
  }

  private IngestJob submitTree(String collection, Path real) throws QueueFullException, IOException {
    List<Upload> uploads = new ArrayList<>();
    Files.walkFileTree(real, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return !dir.equals(real) && dir.getFileName().toString().startsWith(".")
            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile() && !file.getFileName().toString().startsWith(".")) {
          uploads.add(new Upload(real.relativize(file).toString().replace('\\', '/'), null, file));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return submit(collection, uploads);
  }

  private Path requireAllowed(Path folder) throws ForbiddenPathException {
    Path real;
    try {
      real = folder.toAbsolutePath().normalize().toRealPath();
    } catch (IOException e) {
      throw new ForbiddenPathException("'" + folder + "' does not exist or cannot be read");
    }
    for (Path root : allowedRoots) {
      try {
        if (real.startsWith(root.toRealPath())) {
          if (!Files.isDirectory(real)) {
            throw new ForbiddenPathException("'" + folder + "' is not a directory");
          }
          return real;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("allowed root " + root + " cannot be read", e);
      }
    }
    throw new ForbiddenPathException("'" + folder + "' is not under an allowed root (rag.ingest.allowed-roots"
        + (allowedRoots.isEmpty() ? " is empty" : " = " + allowedRoots) + ")");
  }

  /**
   * Removes what ingest keeps for a deleted collection's documents: originals, and the spooled
   * bytes of its files the deletion cancelled. Workers that still hold such files drop them.
   */
  public void collectionDeleted(CollectionDeletion deletion) {
    workers.pipeline().forget(deletion);
  }

  public IngestWorkers workers() {
    return workers;
  }

  @Override
  public void close() throws InterruptedException {
    workers.close();
  }
}
