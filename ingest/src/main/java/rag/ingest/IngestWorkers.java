package rag.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import rag.storage.catalog.StorageException;
import rag.storage.embed.EmbeddingGate;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobFile;
import rag.storage.jobs.JobStore;

/**
 * The worker pools: {@code parseThreads} workers make files searchable; one embedding worker embeds
 * them (the embedder itself uses every core). The number of files waiting is bounded by
 * {@code queueCapacity}: an upload {@link #reserve reserves} room for all its files at once, or is refused (503).
 *
 * <p>With a {@link Sharing job store that several instances share} (the cluster backend), files are not queued here
 * when they are accepted: every instance with the ingest role claims unfinished files from the job store, a few at a
 * time, for a lease that a heartbeat extends; the queue bound then counts the unfinished files of every instance.
 */
public final class IngestWorkers implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(IngestWorkers.class);

  /**
   * Ingest shared through the job store: {@code owner} names this process in leases; {@code claims}, whether it has
   * the ingest role (false: it accepts files for the others and ingests none).
   */
  public record Sharing(JobStore jobs, String owner, Duration lease, boolean claims) {
    public Sharing {
      if (lease.toMillis() < 300) {
        throw new IllegalArgumentException("illegal lease " + lease + ", must be at least 300 ms");
      }
    }
  }

  /** Files claimed ahead of the parse workers, at most, and their bytes: the rest are left to other instances. */
  static final int CLAIM_AHEAD_FILES = 64;
  static final long CLAIM_AHEAD_BYTES = 4L << 20;
  private static final long CLAIM_POLL_MILLIS = 500;

  /** A file to parse or embed; {@code attempts}: how often the database was unreachable for it so far. */
  private record Work(String collection, JobFile file, int attempts) {
    Work(String collection, JobFile file) {
      this(collection, file, 0);
    }

    Work retried() {
      return new Work(collection, file, attempts + 1);
    }
  }

  private static final long MAX_RETRY_DELAY_MILLIS = 30_000;
  static final int PARSE_BATCH_FILES = 32;
  static final long PARSE_BATCH_BYTES = 1 << 20;

  private final IngestPipeline pipeline;
  private final int queueCapacity;
  private final int parseThreads;
  private final int embedBatch;
  private final long embedDeferNanos;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger parsing = new AtomicInteger();
  private final BlockingQueue<Work> toParse = new LinkedBlockingQueue<>();
  private final BlockingQueue<Work> toEmbed = new LinkedBlockingQueue<>();
  private final ExecutorService parsers;
  private final ExecutorService embedding;
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(named("ingest-retry"));
  private final Sharing sharing;
  private final ExecutorService claiming;
  private final Semaphore claimWanted = new Semaphore(0);
  private volatile Set<JobStore.FileKey> held = ConcurrentHashMap.newKeySet();
  private volatile boolean running = true;

  public IngestWorkers(IngestPipeline pipeline, int parseThreads, int queueCapacity) {
    this(pipeline, parseThreads, queueCapacity, 32);
  }

  /** @param embedBatch the embedding worker takes waiting files together until they hold this many chunks */
  public IngestWorkers(IngestPipeline pipeline, int parseThreads, int queueCapacity, int embedBatch) {
    this(pipeline, parseThreads, queueCapacity, embedBatch, Duration.ZERO);
  }

  /**
   * @param embedDefer searchable first: while files wait to be parsed or are being parsed, the embedding worker waits
   *     up to this long before each batch (the embedder would take the cores the parse workers need); zero never
   *     waits
   */
  public IngestWorkers(IngestPipeline pipeline, int parseThreads, int queueCapacity, int embedBatch,
      Duration embedDefer) {
    this(pipeline, parseThreads, queueCapacity, embedBatch, embedDefer, null);
  }

  /** @param sharing null: files accepted here are ingested here; otherwise see {@link Sharing} */
  public IngestWorkers(IngestPipeline pipeline, int parseThreads, int queueCapacity, int embedBatch,
      Duration embedDefer, Sharing sharing) {
    if (parseThreads < 1 || parseThreads > 64) {
      throw new IllegalArgumentException("illegal worker count " + parseThreads + ", must be in 1..64");
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("illegal queue capacity " + queueCapacity + ", must be >= 1");
    }
    this.pipeline = pipeline;
    this.queueCapacity = queueCapacity;
    this.parseThreads = parseThreads;
    this.embedBatch = embedBatch;
    this.embedDeferNanos = embedDefer.toNanos();
    this.parsers = Executors.newFixedThreadPool(parseThreads, named("ingest-parse"));
    this.embedding = Executors.newSingleThreadExecutor(named("ingest-embed"));
    for (int i = 0; i < parseThreads; i++) {
      parsers.submit(() -> loop(toParse, this::parse));
    }
    embedding.submit(() -> loop(toEmbed, this::embed));
    this.sharing = sharing;
    if (sharing != null && sharing.claims()) {
      claiming = Executors.newSingleThreadExecutor(named("ingest-claim"));
      claiming.submit(this::claimLoop);
    } else {
      claiming = null;
    }
  }

  private static ThreadFactory named(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** True while fewer than {@code queueCapacity} files wait or run (in every instance, when shared). */
  public boolean hasCapacity() {
    return pending() < queueCapacity;
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  /**
   * Takes room for {@code files} more files at once, or none: false when they would not all fit. A reservation is
   * used by {@link #submitReserved} or given back by {@link #release}.
   */
  public boolean reserve(int files) {
    if (sharing != null) { // a bound over every instance, checked but not held: instances may overshoot it together
      return sharing.jobs().unfinishedFiles() + files <= queueCapacity;
    }
    while (true) {
      int now = pending.get();
      if (now + files > queueCapacity) {
        return false;
      }
      if (pending.compareAndSet(now, now + files)) {
        return true;
      }
    }
  }

  /** Gives back a reservation that will not be submitted. */
  public void release(int files) {
    if (sharing == null) {
      pending.addAndGet(-files);
    }
  }

  /** The files of the job that {@link #submit} queues: those not final. */
  public static int queuedFiles(IngestJob job) {
    return (int) job.files().stream().filter(f -> queues(f.status())).count();
  }

  /** Queues a job whose {@link #queuedFiles} were {@link #reserve reserved}. */
  public void submitReserved(IngestJob job) {
    if (sharing != null) {
      claimSoon();
      return;
    }
    enqueue(job.collection(), job.files());
  }

  /** Files that wait or run: here, or in every instance when shared. */
  public int pending() {
    return sharing == null ? pending.get() : sharing.jobs().unfinishedFiles();
  }

  /** Queues the job's unfinished files (new, or resumed after a restart). */
  public void submit(IngestJob job) {
    submit(job.collection(), job.files());
  }

  /** Queues files without a reservation: resumed work, repairs and re-indexing are never refused. */
  public void submit(String collection, List<JobFile> files) {
    if (sharing != null) {
      claimSoon();
      return;
    }
    queueHere(collection, files);
  }

  private void queueHere(String collection, List<JobFile> files) {
    for (JobFile f : files) {
      if (queues(f.status())) {
        pending.incrementAndGet();
      }
    }
    enqueue(collection, files);
  }

  private void enqueue(String collection, List<JobFile> files) {
    for (JobFile f : files) {
      if (f.status() == FileStatus.QUEUED || f.status() == FileStatus.PARSING) {
        toParse.add(new Work(collection, f));
      } else if (f.status() == FileStatus.SEARCHABLE || f.status() == FileStatus.EMBEDDING) {
        toEmbed.add(new Work(collection, f));
      }
    }
  }

  private static boolean queues(FileStatus status) {
    return status == FileStatus.QUEUED || status == FileStatus.PARSING || status == FileStatus.SEARCHABLE
        || status == FileStatus.EMBEDDING;
  }

  /**
   * Resumes everything a previous run left unfinished, from the durable job store, then queues a
   * job that embeds the published documents still without vectors that no unfinished file owes.
   * Spooled bytes that finished files still hold (cancelled when their collection was deleted) go.
   */
  public int resume(JobStore jobs) {
    if (sharing != null && !sharing.claims()) {
      return 0; // the instances with the ingest role resume, by claiming
    }
    int released = pipeline.releaseSpoolOfFinishedFiles();
    if (released > 0) {
      LOG.infof("released the spooled bytes of %d finished files", released);
    }
    int resumed = 0;
    Set<String> owed = new HashSet<>();
    for (IngestJob job : jobs.unfinishedJobs()) {
      submit(job); // shared: queued by the claims of whichever instance gets them
      for (JobFile f : job.files()) {
        if (!f.status().isFinal()) {
          resumed++;
          owed.add(IngestPipeline.pathKey(job.collection(), f.sourcePath()));
        }
      }
    }
    for (IngestJob repair : pipeline.vectorRepairJobs(owed)) {
      LOG.infof("re-embedding %d documents of collection %s whose vectors are missing (job %s)",
          repair.files().size(), repair.collection(), repair.id());
      jobs.create(repair);
      submit(repair);
      resumed += repair.files().size();
    }
    return resumed;
  }

  /**
   * Records and queues a re-index job for the collection ({@link IngestPipeline#reindexJob}); with nothing to embed,
   * switches the collection at once if it waits for that.
   */
  public IngestJob reindex(JobStore jobs, String collection) {
    IngestJob job = pipeline.reindexJob(collection);
    jobs.create(job);
    if (job.files().isEmpty()) {
      pipeline.switchOver(collection);
    } else {
      LOG.infof("re-indexing %d documents of collection %s (job %s)", job.files().size(), collection, job.id());
      submit(job);
    }
    return job;
  }

  /**
   * Makes this file searchable together with files already waiting (a fair share of them, so that every parse worker
   * gets some; none while there are no more than workers), up to {@link #PARSE_BATCH_FILES} files or {@link #PARSE_BATCH_BYTES} bytes: small files share one
   * index refresh and a few transactions instead of paying for their own.
   */
  private void parse(Work first) {
    if (!stillHeld(first)) {
      return;
    }
    List<Work> works = new ArrayList<>();
    works.add(first);
    long bytes = first.file().sizeBytes();
    // a few files are parsed side by side, one per worker; a long queue is shared out in batches
    int share = Math.min(PARSE_BATCH_FILES, 1 + Math.max(0, toParse.size() - parseThreads) / parseThreads);
    Work next;
    while (works.size() < share && bytes < PARSE_BATCH_BYTES && (next = toParse.poll()) != null) {
      if (stillHeld(next)) {
        works.add(next);
        bytes += next.file().sizeBytes();
      }
    }
    Map<String, List<Work>> byCollection = new LinkedHashMap<>();
    works.forEach(w -> byCollection.computeIfAbsent(w.collection(), c -> new ArrayList<>()).add(w));
    parsing.addAndGet(works.size());
    try {
      byCollection.forEach(this::parse);
    } finally {
      parsing.addAndGet(-works.size());
    }
  }

  private void parse(String collection, List<Work> works) {
    List<JobFile> results;
    try {
      results = pipeline.makeSearchableAll(collection, works.stream().map(Work::file).toList());
    } catch (RuntimeException e) {
      if (StorageException.isTransient(e)) {
        retryLater(toParse, works, e);
        return;
      }
      throw e;
    }
    for (JobFile result : results) {
      if (result.status() == FileStatus.SEARCHABLE) {
        toEmbed.add(new Work(collection, result));
      } else {
        pending.decrementAndGet();
      }
    }
  }

  /** Embeds this file together with files already waiting, up to about one batch of chunks. */
  private void embed(Work first) {
    deferWhileParsing();
    if (!stillHeld(first)) {
      return;
    }
    List<Work> works = new ArrayList<>();
    works.add(first);
    int chunks = chunksOf(first.file());
    Work next;
    while (chunks < embedBatch && (next = toEmbed.poll()) != null) {
      if (stillHeld(next)) {
        works.add(next);
        chunks += chunksOf(next.file());
      }
    }
    boolean retrying = false;
    try {
      // a file that arrives meanwhile gets the cores within one text, not after the whole batch
      EmbeddingGate.giveWayWhile(this::parseWaiting, Duration.ofNanos(embedDeferNanos),
          () -> pipeline.embedAll(works.stream().map(Work::file).toList()));
    } catch (RuntimeException e) {
      if (!StorageException.isTransient(e)) {
        throw e;
      }
      retrying = true;
      retryLater(toEmbed, works, e);
    } finally {
      if (!retrying) {
        pending.addAndGet(-works.size());
      }
    }
  }

  /**
   * Searchable first: waits while files wait to be parsed or are being parsed (a large file alone needs both cores
   * for its chunking and indexing), up to the deferral, then embeds one batch.
   */
  private void deferWhileParsing() {
    long until = System.nanoTime() + embedDeferNanos;
    while (running && parseWaiting() && System.nanoTime() < until) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Files wait to be parsed or are being parsed. */
  private boolean parseWaiting() {
    return !toParse.isEmpty() || parsing.get() > 0;
  }

  /**
   * The database could not be reached (restarting, a network blip): the files go back to their queue after a delay
   * that doubles with each attempt, up to 30 s, and are never failed for it. Their work is idempotent: a version
   * published before the outage is recognised by its bytes.
   */
  private void retryLater(BlockingQueue<Work> queue, List<Work> works, RuntimeException cause) {
    int attempts = works.stream().mapToInt(Work::attempts).max().orElse(0);
    long delay = Math.min(MAX_RETRY_DELAY_MILLIS, 1000L << Math.min(attempts, 5));
    LOG.warnf("the database is unreachable (%s); trying %d files again in %d ms", cause.getMessage(), works.size(),
        delay);
    try {
      retries.schedule(() -> works.forEach(w -> queue.add(w.retried())), delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // closing: the files stay unfinished in the job store and the next start redoes them
    }
  }

  /**
   * Whether this instance still holds the file's lease (always, unshared). A file whose lease ran out while it waited
   * here (the database was unreachable for longer than the lease) may be another instance's now: it is dropped.
   */
  private boolean stillHeld(Work w) {
    if (sharing == null || held.contains(JobStore.FileKey.of(w.file()))) {
      return true;
    }
    LOG.infof("dropped %s of job %s: its lease ran out and another instance may hold it", w.file().sourcePath(),
        w.file().jobId());
    pending.decrementAndGet();
    return false;
  }

  /** Makes the claim loop look for files now (a job was accepted here). */
  private void claimSoon() {
    claimWanted.release();
  }

  /**
   * Claims unfinished files while few enough wait here, and renews this instance's leases every third of the lease;
   * polls the job store every {@value #CLAIM_POLL_MILLIS} ms, at once when a job is accepted here.
   */
  private void claimLoop() {
    long renewEvery = sharing.lease().toNanos() / 3;
    long nextRenewal = System.nanoTime();
    boolean warned = false;
    while (running) {
      try {
        if (System.nanoTime() - nextRenewal >= 0) {
          Set<JobStore.FileKey> renewed = ConcurrentHashMap.newKeySet();
          renewed.addAll(sharing.jobs().renewLeases(sharing.owner(), sharing.lease()));
          held = renewed;
          nextRenewal = System.nanoTime() + renewEvery;
        }
        boolean full = claimSome();
        warned = false;
        if (!full) {
          claimWanted.drainPermits();
          claimWanted.tryAcquire(CLAIM_POLL_MILLIS, TimeUnit.MILLISECONDS);
        } else {
          Thread.sleep(CLAIM_POLL_MILLIS / 5);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (!warned) {
          LOG.warnf("ingest: cannot claim files or renew leases (%s); trying again", e.getMessage());
          warned = true;
        }
        try {
          Thread.sleep(1000);
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Claims files while there is room here; true when there is none left (nothing more is claimed for now). */
  private boolean claimSome() {
    while (running) {
      long waitingBytes = toParse.stream().mapToLong(w -> w.file().sizeBytes()).sum();
      int room = CLAIM_AHEAD_FILES - pending.get();
      if (room <= 0 || waitingBytes >= CLAIM_AHEAD_BYTES) {
        return true;
      }
      // a few at a time while large files wait, so that other instances get their share of a large upload
      List<JobStore.Claim> claims = sharing.jobs().claim(sharing.owner(), Math.min(room, parseThreads + 2),
          sharing.lease());
      if (claims.isEmpty()) {
        return false;
      }
      for (JobStore.Claim claim : claims) {
        held.add(JobStore.FileKey.of(claim.file()));
        queueHere(claim.collection(), List.of(claim.file()));
      }
    }
    return true;
  }

  private static int chunksOf(JobFile file) {
    return file.chunks() == null ? 1 : Math.max(1, file.chunks());
  }

  private void loop(BlockingQueue<Work> queue, Consumer<Work> step) {
    while (running) {
      try {
        Work w = queue.poll(200, TimeUnit.MILLISECONDS);
        if (w != null) {
          step.accept(w);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | Error e) {
        // the pipeline records its own failures; this keeps the worker alive whatever happens
        if (StorageException.isTransient(e)) {
          LOG.warnf("ingest worker: the database is unreachable (%s); the files are redone at the next start",
              e.getMessage());
        } else {
          LOG.error("ingest worker caught an unexpected error", e);
        }
      }
    }
  }

  IngestPipeline pipeline() {
    return pipeline;
  }

  /** True when nothing waits or runs. */
  public boolean isIdle() {
    return pending.get() == 0;
  }

  /**
   * Stops taking work and lets the files in hand finish for up to {@code grace}; a parse still running then is
   * interrupted and its file left unfinished in the job store, so the next start redoes it. Files that wait are
   * left there too. Idempotent.
   */
  public void close(Duration grace) throws InterruptedException {
    running = false;
    if (claiming != null) {
      claiming.shutdownNow();
    }
    retries.shutdownNow();
    parsers.shutdown();
    embedding.shutdown();
    long deadline = System.nanoTime() + grace.toNanos();
    boolean finished = parsers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
        & embedding.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    if (!finished) {
      LOG.warnf("ingest work still running after %s; interrupting it, its files are redone at the next start", grace);
      parsers.shutdownNow();
      embedding.shutdownNow();
      parsers.awaitTermination(5, TimeUnit.SECONDS);
      embedding.awaitTermination(5, TimeUnit.SECONDS);
    }
    if (claiming != null && claiming.awaitTermination(5, TimeUnit.SECONDS)) {
      releaseLeases();
    }
  }

  /** Other instances take this one's unfinished files at once instead of after their lease. */
  private void releaseLeases() {
    try {
      sharing.jobs().releaseLeases(sharing.owner());
    } catch (RuntimeException e) {
      LOG.warnf("ingest: cannot release this instance's leases (%s); other instances take its files when they run"
          + " out", e.getMessage());
    }
  }

  @Override
  public void close() throws InterruptedException {
    close(Duration.ofSeconds(20));
  }
}
