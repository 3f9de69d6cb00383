package rag.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.logging.Logger;
import rag.ingest.chunk.Chunker;
import rag.ingest.intake.Intake;
import rag.ingest.intake.Originals;
import rag.ingest.intake.Spool;
import rag.ingest.parse.FailureKind;
import rag.ingest.parse.ParseFailure;
import rag.ingest.parse.ParsedDocument;
import rag.ingest.parse.Parser;
import rag.ingest.parse.Source;
import rag.storage.Archive;
import rag.storage.catalog.CollectionDeletedException;
import rag.storage.catalog.StorageException;
import rag.storage.embed.Embedder;
import rag.storage.jobs.FileError;
import rag.storage.jobs.FileOutcome;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobFile;
import rag.storage.jobs.JobStore;
import rag.storage.model.Chunk;
import rag.storage.model.ChunkContext;
import rag.storage.model.CollectionDeletion;
import rag.storage.model.Document;
import rag.storage.model.DocumentStatus;
import rag.storage.problem.ProblemType;
import rag.storage.vector.EmbeddedChunk;

/**
 * Ingests one spooled file in two tiers. {@link #makeSearchable}: parse, chunk, write to the
 * archive (catalog and BM25, published atomically). {@link #embed}: embed the chunks in batches and
 * add the vectors. Every step is recorded in the job store, and every failure becomes a precise
 * per-file error; nothing thrown here escapes to the worker. A file cancelled meanwhile (its
 * collection deleted) is dropped wherever the worker is: its stored, final state stands.
 */
public final class IngestPipeline {
  private static final Logger LOG = Logger.getLogger(IngestPipeline.class);

  private final Archive archive;
  private final Parser parser;
  private final Chunker chunker;
  private final Embedder embedder;
  private final Spool spool;
  private final int embedBatch;
  private final boolean embedContext;
  private final Originals originals;
  /** The job store as this pipeline writes it: fenced by the worker's lease in a cluster ({@link Builder#fencedBy}). */
  private final JobStore jobs;
  private final boolean fenced;

  private IngestPipeline(Builder b) {
    this.archive = b.archive;
    this.fenced = b.fenceOwner != null;
    this.jobs = fenced ? b.archive.jobs().fencedBy(b.fenceOwner) : b.archive.jobs();
    this.spool = b.spool;
    this.parser = Objects.requireNonNull(b.parser, "parser");
    this.chunker = Objects.requireNonNull(b.chunker, "chunker");
    this.embedder = Objects.requireNonNull(b.embedder, "embedder");
    if (b.embedBatch < 1 || b.embedBatch > 10_000) {
      throw new IllegalArgumentException("illegal embed batch " + b.embedBatch + ", must be in 1..10000");
    }
    this.embedBatch = b.embedBatch;
    this.embedContext = b.embedContext;
    this.originals = b.originals;
  }

  /** A pipeline writing to {@code archive} the files spooled in {@code spool}; parser, chunker and embedder needed. */
  public static Builder builder(Archive archive, Spool spool) {
    return new Builder(archive, spool);
  }

  /** Names every part of a pipeline; {@link #build} checks them once. */
  public static final class Builder {
    private final Archive archive;
    private final Spool spool;
    private Parser parser;
    private Chunker chunker;
    private Embedder embedder;
    private int embedBatch = 32;
    private boolean embedContext;
    private Originals originals;
    private String fenceOwner;

    private Builder(Archive archive, Spool spool) {
      this.archive = Objects.requireNonNull(archive, "archive");
      this.spool = Objects.requireNonNull(spool, "spool");
    }

    public Builder parser(Parser parser) {
      this.parser = parser;
      return this;
    }

    public Builder chunker(Chunker chunker) {
      this.chunker = chunker;
      return this;
    }

    public Builder embedder(Embedder embedder) {
      this.embedder = embedder;
      return this;
    }

    /** Chunks per embedding call (default 32); a batch may span documents. */
    public Builder embedBatch(int embedBatch) {
      this.embedBatch = embedBatch;
      return this;
    }

    /**
     * Whether the embedding model reads each chunk after its header (title or file name, section, speaker:
     * {@link ChunkContext}); default false: the chunk's text alone.
     */
    public Builder embedContext(boolean embedContext) {
      this.embedContext = embedContext;
      return this;
    }

    /** Where each document's original bytes are kept; none are kept without. */
    public Builder originals(Originals originals) {
      this.originals = originals;
      return this;
    }

    /**
     * Records file states only while {@code owner} holds the file's lease ({@link JobStore#fencedBy}): for the ingest
     * workers of a cluster, which claim files; a worker that lost a file's lease leaves it to its new holder.
     */
    public Builder fencedBy(String owner) {
      this.fenceOwner = owner;
      return this;
    }

    public IngestPipeline build() {
      return new IngestPipeline(this);
    }
  }

  /** Returns the file at SEARCHABLE (embedding to follow), or in a final status. */
  public JobFile makeSearchable(String collection, JobFile file) {
    Optional<JobFile> cancelled = cancelled(file);
    if (cancelled.isPresent()) {
      return cancelled.get();
    }
    try {
      Optional<Document> same = sameBytes(collection, file);
      if (same.isPresent()) {
        Document d = same.get();
        boolean sameFile = d.sourcePath().equals(file.sourcePath());
        if (originals != null && sameFile && !originals.has(d.id())) {
          file = keepOriginal(d.id(), file); // a crash came between publishing and keeping it
        }
        if (sameFile && d.status() == DocumentStatus.SEARCHABLE
            && !jobs.madeByAnotherFile(d.id(), JobStore.FileKey.of(file))) {
          // a crash came between publishing and recording it: this file still owes the vectors
          JobFile searchable = file.withResult(FileStatus.SEARCHABLE, d.id(), d.chunkCount(), d.tokenCount(),
              d.version() == 1 ? FileOutcome.CREATED : FileOutcome.REPLACED);
          return record(searchable) ? searchable : stored(searchable);
        }
        return finish(file.withResult(FileStatus.UNCHANGED, d.id(), d.chunkCount(), d.tokenCount(), FileOutcome.UNCHANGED));
      }
      if (!record(file = file.with(FileStatus.PARSING))) {
        return stored(file);
      }
      Archive.Write write = parseAndChunk(collection, file);
      boolean replacing = archive.reader().findBySourcePath(collection, file.sourcePath()).isPresent();
      JobFile searchable = searchable(file, archive.write(write.draft(), write.chunks(), file), replacing);
      return record(searchable) ? searchable : stored(searchable);
    } catch (ParseFailure | RuntimeException | Error e) {
      return failed(collection, file, e);
    }
  }

  /**
   * {@link #makeSearchable} for several files of one collection together, so that small files share the cost of
   * writing: each is parsed on its own and keeps its own error, then they are written to the archive as one batch
   * ({@link Archive#writeAll}: one index refresh, each version still published whole), and their statuses are
   * recorded in one transaction before parsing and one after. Returns each file's result, in the given order.
   */
  public List<JobFile> makeSearchableAll(String collection, List<JobFile> files) {
    if (files.size() == 1) {
      return List.of(makeSearchable(collection, files.get(0)));
    }
    JobFile[] results = new JobFile[files.size()];
    List<Integer> toParse = new ArrayList<>();
    Map<JobStore.FileKey, JobFile> stored = jobs.files(files.stream().map(JobStore.FileKey::of).toList());
    Map<String, List<Document>> sameBytes = archive.reader().findBySha256(collection,
        files.stream().map(JobFile::sha256).filter(Objects::nonNull).toList());
    Set<String> paths = new HashSet<>();
    List<Integer> afterTheBatch = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      JobFile file = files.get(i);
      JobFile storedFile = stored.get(JobStore.FileKey.of(file));
      boolean cancelled = storedFile != null && storedFile.status().isFinal();
      if (!paths.add(file.sourcePath())) {
        afterTheBatch.add(i); // a path given twice: the second is unchanged or replaces what the batch wrote for it
      } else if (cancelled || (file.sha256() != null && sameBytes.containsKey(file.sha256()))) {
        results[i] = makeSearchable(collection, file); // nothing to parse
      } else {
        toParse.add(i);
      }
    }
    List<JobFile> parsing = toParse.stream().map(i -> files.get(i).with(FileStatus.PARSING)).toList();
    List<Boolean> recorded = jobs.updateAll(parsing);
    List<Integer> writing = new ArrayList<>();
    List<Archive.Write> writes = new ArrayList<>();
    for (int k = 0; k < parsing.size(); k++) {
      int i = toParse.get(k);
      JobFile file = parsing.get(k);
      if (!recorded.get(k)) {
        results[i] = stored(file);
      } else if (Thread.currentThread().isInterrupted()) {
        results[i] = leftForTheNextStart(file);
      } else {
        try {
          writes.add(parseAndChunk(collection, file));
          writing.add(i);
        } catch (ParseFailure | RuntimeException | Error e) {
          results[i] = failed(collection, file, e);
        }
      }
    }
    Set<String> replacing = archive.reader().findBySourcePaths(collection,
        writes.stream().map(w -> w.writtenFor().sourcePath()).toList()).keySet();
    List<Archive.Written> written = writes.isEmpty() ? List.of() : archive.writeAll(writes);
    List<JobFile> searchable = new ArrayList<>();
    List<Integer> searchableAt = new ArrayList<>();
    for (int k = 0; k < writes.size(); k++) {
      int i = writing.get(k);
      JobFile file = writes.get(k).writtenFor();
      Archive.Written w = written.get(k);
      if (w.failure() != null) {
        results[i] = failed(collection, file, w.failure());
      } else {
        searchable.add(atSearchable(file, w.document(), replacing.contains(file.sourcePath())));
        searchableAt.add(i);
      }
    }
    searchable = keepOriginals(searchable, searchableAt, results, collection);
    List<Boolean> updated = jobs.updateAll(searchable);
    for (int k = 0; k < searchable.size(); k++) {
      results[searchableAt.get(k)] = updated.get(k) ? searchable.get(k) : stored(searchable.get(k));
    }
    for (int i : afterTheBatch) {
      results[i] = makeSearchable(collection, files.get(i));
    }
    return List.of(results);
  }

  /** The file parsed and chunked: the version to write. */
  private Archive.Write parseAndChunk(String collection, JobFile file) throws ParseFailure {
    ParsedDocument parsed = parser.parse(new Source(file.sourcePath(), spool.local(file.spoolFile()),
        file.sizeBytes()));
    List<Chunk> chunks = chunker.chunk(parsed);
    if (chunks.isEmpty()) {
      throw new ParseFailure(FailureKind.NO_TEXT, "no text was found in the file");
    }
    return new Archive.Write(draft(collection, file, parsed), chunks, file);
  }

  /** The file at SEARCHABLE with the version written for it, its original kept. */
  private JobFile searchable(JobFile file, Document written, boolean replacing) {
    JobFile searchable = atSearchable(file, written, replacing);
    return originals == null ? searchable : keepOriginal(written.id(), searchable);
  }

  private static JobFile atSearchable(JobFile file, Document written, boolean replacing) {
    return file.withResult(FileStatus.SEARCHABLE, written.id(), written.chunkCount(), written.tokenCount(),
        replacing ? FileOutcome.REPLACED : FileOutcome.CREATED);
  }

  /**
   * {@link #keepOriginal} for the files of a batch, with one read to see which documents were deleted meanwhile. A
   * file whose original cannot be kept fails (its result set in {@code results}) and leaves both lists.
   */
  private List<JobFile> keepOriginals(List<JobFile> searchable, List<Integer> searchableAt, JobFile[] results,
      String collection) {
    if (originals == null) {
      return searchable;
    }
    List<JobFile> kept = new ArrayList<>(searchable.size());
    List<Integer> keptAt = new ArrayList<>(searchable.size());
    for (int k = 0; k < searchable.size(); k++) {
      JobFile file = searchable.get(k);
      try {
        kept.add(moveOriginal(file.documentId(), file));
        keptAt.add(searchableAt.get(k));
      } catch (RuntimeException | Error e) {
        results[searchableAt.get(k)] = failed(collection, file, e);
      }
    }
    Map<String, Document> present = archive.reader().findAll(kept.stream().map(JobFile::documentId).toList());
    kept.stream().map(JobFile::documentId).filter(id -> !present.containsKey(id)).forEach(originals::delete);
    searchableAt.clear();
    searchableAt.addAll(keptAt);
    return kept;
  }

  /**
   * What a failure to make the file searchable makes of it: a precise per-file error, or the file left for the next
   * start when the service is stopping. A failure that the database was unreachable is thrown again: the workers try
   * the file later.
   */
  private JobFile failed(String collection, JobFile file, Throwable e) {
    if (e instanceof CollectionDeletedException) {
      LOG.infof("dropped %s of job %s: %s", file.sourcePath(), file.jobId(), e.getMessage());
      return finish(file.failed(FileError.collectionDeleted(collection)));
    }
    if (Thread.currentThread().isInterrupted()) {
      return leftForTheNextStart(file);
    }
    if (e instanceof ParseFailure f) {
      return finish(file.failed(f.kind().error(f.getMessage())));
    }
    if (e instanceof RuntimeException r && StorageException.isTransient(r)) {
      throw r;
    }
    LOG.errorf(e, "ingesting %s of job %s failed", file.sourcePath(), file.jobId());
    return finish(file.failed(FileError.of(ProblemType.INGEST_FAILED,
        "the file could not be ingested: " + message(e))));
  }

  /** The service is stopping: the file keeps its unfinished status in the job store and the next start redoes it. */
  private static JobFile leftForTheNextStart(JobFile file) {
    LOG.infof("ingesting %s of job %s was stopped by the shutdown; the next start redoes it", file.sourcePath(),
        file.jobId());
    return file;
  }

  /**
   * Jobs, one per collection, that embed the published documents still waiting for vectors that no
   * unfinished job file will embed ({@code owedByFiles} holds their {@link #pathKey}s): documents whose
   * vectors {@link Archive#reconcile()} found missing, for instance after the vector index was lost.
   * Their files start at SEARCHABLE with the outcome {@link FileOutcome#RE_EMBEDDED}.
   */
  public List<IngestJob> vectorRepairJobs(Set<String> owedByFiles) {
    Map<String, List<Document>> byCollection = new TreeMap<>();
    for (Document d : archive.reader().publishedWithStatus(DocumentStatus.SEARCHABLE)) {
      if (!owedByFiles.contains(pathKey(d.collection(), d.sourcePath()))) {
        byCollection.computeIfAbsent(d.collection(), c -> new ArrayList<>()).add(d);
      }
    }
    List<IngestJob> jobs = new ArrayList<>();
    byCollection.forEach((collection, documents) ->
        jobs.add(embeddingJob(collection, documents, FileOutcome.RE_EMBEDDED, IngestJob.Kind.REPAIR)));
    return jobs;
  }

  /**
   * A job that embeds, with the configured model, every published document of the collection that has no vectors
   * of it: after a change of embedding model, all of them. The collection keeps searching its old vectors until
   * every document has new ones, then switches at once ({@link Archive#switchOver}). Its files start at SEARCHABLE
   * with the outcome {@link FileOutcome#RE_INDEXED}; it has none when every document has the vectors already.
   */
  public IngestJob reindexJob(String collection) {
    if (archive.reader().collection(collection).isEmpty()) {
      throw new IllegalArgumentException("no collection '" + collection + "'");
    }
    List<Document> documents = archive.withoutCurrentVectors(collection);
    return embeddingJob(collection, documents, FileOutcome.RE_INDEXED, IngestJob.Kind.REINDEX);
  }

  private static IngestJob embeddingJob(String collection, List<Document> documents, FileOutcome outcome,
      IngestJob.Kind kind) {
    String jobId = UUID.randomUUID().toString();
    List<JobFile> files = new ArrayList<>(documents.size());
    for (Document d : documents) {
      files.add(new JobFile(jobId, files.size(), d.sourceName(), d.sourcePath(), null, d.sizeBytes(), d.sha256(),
          FileStatus.SEARCHABLE, d.id(), d.chunkCount(), d.tokenCount(), outcome, null));
    }
    Instant now = Instant.now();
    return new IngestJob(jobId, collection, now, now, files, kind);
  }

  /**
   * Switches the collection to the vectors of the configured model if it searches older ones and every document
   * has new ones (see {@link Archive#switchOver}); a failure is logged, and the next start switches it.
   */
  public boolean switchOver(String collection) {
    try {
      return archive.switchOver(collection);
    } catch (RuntimeException e) {
      LOG.errorf(e, "switching collection %s to the vectors of %s failed; the next start retries", collection,
          archive.currentGeneration().describe());
      return false;
    }
  }

  static String pathKey(String collection, String sourcePath) {
    return collection + '\u0000' + sourcePath;
  }

  /** Embeds a SEARCHABLE file's document and finishes it (DONE, or FAILED with the document still searchable). */
  public JobFile embed(JobFile file) {
    return embedAll(List.of(file)).get(0);
  }

  /**
   * Embeds the documents of several SEARCHABLE files together, so that small documents share
   * batches and every batch keeps the embedder's threads busy. If the shared run fails, each file
   * is retried on its own, so that one bad document fails alone.
   */
  public List<JobFile> embedAll(List<JobFile> files) {
    List<JobFile> results = new ArrayList<>(files.size());
    List<JobFile> toEmbed = new ArrayList<>();
    List<Document> documents = new ArrayList<>();
    for (JobFile file : files) {
      Optional<Document> current = archive.reader().find(file.documentId());
      if (current.isEmpty()) {
        results.add(finish(file.with(FileStatus.DONE))); // replaced or deleted meanwhile: nothing to embed
      } else {
        JobFile embedding = file.with(FileStatus.EMBEDDING);
        if (record(embedding)) {
          toEmbed.add(embedding);
          documents.add(current.get());
        } else {
          results.add(stored(file)); // cancelled: its collection was deleted
        }
      }
    }
    if (toEmbed.isEmpty()) {
      return results;
    }
    if (toEmbed.size() == 1) {
      results.add(embedOne(toEmbed.get(0), documents.get(0)));
      return results;
    }
    try {
      embedDocuments(documents);
      for (JobFile file : toEmbed) {
        results.add(finish(file.with(FileStatus.DONE)));
      }
    } catch (RuntimeException | Error e) {
      if (StorageException.isTransient(e)) {
        throw (RuntimeException) e; // the database is unreachable: the workers try the group again later
      }
      LOG.warnf(e, "embedding %d documents together failed; embedding them one by one", toEmbed.size());
      for (int i = 0; i < toEmbed.size(); i++) {
        results.add(embedOne(toEmbed.get(i), documents.get(i)));
      }
    }
    return results;
  }

  private JobFile embedOne(JobFile file, Document doc) {
    try {
      embedDocuments(List.of(doc));
      return finish(file.with(FileStatus.DONE));
    } catch (RuntimeException | Error e) {
      if (StorageException.isTransient(e)) {
        throw (RuntimeException) e; // the database is unreachable: the workers try again later
      }
      LOG.errorf(e, "embedding document %s failed", doc.id());
      archive.markFailed(doc, "embedding failed: " + message(e));
      return finish(file.failed(FileError.of(ProblemType.EMBEDDING_FAILED,
          "the document is searchable by keywords, but embedding failed: " + message(e))));
    }
  }

  /**
   * Embeds the chunks of these document versions in batches of {@code embedBatch} that may span
   * documents, then stores each document's vectors.
   */
  private void embedDocuments(List<Document> documents) {
    List<List<Chunk>> chunksByDocument = new ArrayList<>(documents.size());
    List<String> all = new ArrayList<>();
    for (Document doc : documents) {
      List<Chunk> chunks = archive.reader().chunks(doc.id(), doc.version());
      chunksByDocument.add(chunks);
      chunks.forEach(c -> all.add(embedContext ? ChunkContext.forEmbedding(doc, c) : c.text()));
    }
    List<float[]> vectors = new ArrayList<>(all.size());
    for (int i = 0; i < all.size(); i += embedBatch) {
      vectors.addAll(embedder.embed(all.subList(i, Math.min(all.size(), i + embedBatch))));
    }
    int next = 0;
    for (int d = 0; d < documents.size(); d++) {
      List<Chunk> chunks = chunksByDocument.get(d);
      List<EmbeddedChunk> embedded = new ArrayList<>(chunks.size());
      for (Chunk chunk : chunks) {
        embedded.add(new EmbeddedChunk(chunk, vectors.get(next++)));
      }
      archive.addVectors(documents.get(d), embedded);
    }
    // the last document of a re-index (or of a collection that needed one) completes it
    documents.stream().map(Document::collection).distinct().forEach(this::switchOver);
  }

  /**
   * Moves the spooled bytes to the document's original; the job file no longer has a spool entry.
   * When the document was deleted meanwhile (with its collection), the original goes again: the
   * deletion may have removed originals before this one arrived. A fenced pipeline keeps the upload until its
   * final record is accepted ({@link #finish}): if this worker lost the file, its new holder may still need it.
   */
  private JobFile keepOriginal(String documentId, JobFile file) {
    JobFile kept = moveOriginal(documentId, file);
    if (file.spoolFile() != null && archive.reader().find(documentId).isEmpty()) {
      originals.delete(documentId);
    }
    return kept;
  }

  /** {@link #keepOriginal} without the check for a deletion meanwhile. */
  private JobFile moveOriginal(String documentId, JobFile file) {
    if (file.spoolFile() == null) {
      return file;
    }
    originals.keep(documentId, spool.local(file.spoolFile()));
    JobFile kept = file;
    if (!fenced) {
      spool.delete(file.spoolFile()); // the file is gone already; this removes the job's folder when it is empty
      kept = file.withoutSpool();
    }
    return kept;
  }

  /**
   * Removes what ingest keeps for the documents of a deleted collection: their originals, and the
   * spooled bytes of the files the deletion cancelled.
   */
  public void forget(CollectionDeletion deletion) {
    if (originals != null) {
      deletion.documentIds().forEach(originals::delete);
    }
    releaseSpoolOfFinishedFiles();
  }

  /**
   * Deletes the spooled bytes that files in a final status still hold: files cancelled by a
   * collection's deletion, or finished just before a crash. Returns how many.
   */
  public int releaseSpoolOfFinishedFiles() {
    List<JobFile> holding = jobs.finishedWithSpool();
    for (JobFile f : holding) {
      spool.delete(f.spoolFile());
      jobs.spoolReleased(f.jobId(), f.seq());
    }
    return holding.size();
  }

  /** The stored state of a file that is final already (cancelled, its collection deleted), spool released. */
  private Optional<JobFile> cancelled(JobFile file) {
    Optional<JobFile> stored = jobs.file(file.jobId(), file.seq());
    if (stored.isEmpty() || !stored.get().status().isFinal()) {
      return Optional.empty();
    }
    return Optional.of(released(stored.get()));
  }

  /**
   * The stored state of a file whose update was refused: final already (cancelled), its spool then released; or, in a
   * cluster, held by another worker now (this one lost its lease), whose spool it needs.
   */
  private JobFile stored(JobFile file) {
    JobFile stored = jobs.file(file.jobId(), file.seq()).orElse(file);
    return stored.status().isFinal() ? released(stored) : stored;
  }

  private JobFile released(JobFile stored) {
    if (stored.spoolFile() == null) {
      return stored;
    }
    spool.delete(stored.spoolFile());
    jobs.spoolReleased(stored.jobId(), stored.seq());
    return stored.withoutSpool();
  }

  private Optional<Document> sameBytes(String collection, JobFile file) {
    if (file.sha256() == null) {
      return Optional.empty();
    }
    List<Document> same = archive.reader().findBySha256(collection, file.sha256());
    return same.stream().filter(d -> d.sourcePath().equals(file.sourcePath())).findFirst()
        .or(() -> same.stream().findFirst());
  }

  private static Document draft(String collection, JobFile file, ParsedDocument parsed) {
    Map<String, String> metadata = new HashMap<>(parsed.metadata());
    if (parsed.author() != null) {
      metadata.put("author", parsed.author());
    }
    if (!parsed.warnings().isEmpty()) {
      metadata.put("warnings", String.join("; ", parsed.warnings()));
    }
    return Document.draft(collection, file.sourcePath(), parsed.mediaType(), file.sha256(), file.sizeBytes(),
        parsed.title(), parsed.language(), parsed.pageCount(), metadata);
  }

  private JobFile finish(JobFile file) {
    if (fenced && file.status().isFinal() && file.spoolFile() != null) {
      // its spool goes once the record is accepted: if this worker lost the file, the new holder may still need it
      if (!record(file)) {
        return stored(file);
      }
      return released(file);
    }
    JobFile done = file;
    if (file.status().isFinal() && file.spoolFile() != null) {
      spool.delete(file.spoolFile());
      done = file.withoutSpool();
    }
    return record(done) ? done : stored(file);
  }

  /** Records the file's state; false when the stored file is final already (cancelled meanwhile). */
  private boolean record(JobFile file) {
    return jobs.update(file);
  }

  private static String message(Throwable e) {
    if (e instanceof OutOfMemoryError) {
      return "the file needs more memory than the service has";
    }
    return e.getMessage() == null ? "an unexpected error without a message (see the server log)" : e.getMessage();
  }
}
