package rag.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import rag.ingest.chunk.Chunker;
import rag.ingest.intake.Intake;
import rag.ingest.intake.Spool;
import rag.ingest.parse.FailureKind;
import rag.ingest.parse.ParseFailure;
import rag.ingest.parse.ParsedDocument;
import rag.ingest.parse.Parser;
import rag.ingest.parse.Source;
import rag.storage.Archive;
import rag.storage.embed.Embedder;
import rag.storage.jobs.FileError;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.JobFile;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.DocumentStatus;
import rag.storage.vector.EmbeddedChunk;

/**
 * Ingests one spooled file in two tiers. {@link #makeSearchable}: parse, chunk, write to the
 * archive (catalog and BM25, published atomically). {@link #embed}: embed the chunks in batches and
 * add the vectors. Every step is recorded in the job store, and every failure becomes a precise
 * per-file error; nothing thrown here escapes to the worker.
 */
public final class IngestPipeline {
  private static final Logger LOG = Logger.getLogger(IngestPipeline.class);

  private final Archive archive;
  private final Parser parser;
  private final Chunker chunker;
  private final Embedder embedder;
  private final Spool spool;
  private final int embedBatch;

  public IngestPipeline(Archive archive, Parser parser, Chunker chunker, Embedder embedder, Spool spool,
      int embedBatch) {
    this.archive = archive;
    this.parser = parser;
    this.chunker = chunker;
    this.embedder = embedder;
    this.spool = spool;
    this.embedBatch = embedBatch;
  }

  /** Returns the file at SEARCHABLE (embedding to follow), or in a final status. */
  public JobFile makeSearchable(String collection, JobFile file) {
    try {
      Optional<Document> same = sameBytes(collection, file);
      if (same.isPresent()) {
        Document d = same.get();
        return finish(file.withResult(FileStatus.UNCHANGED, d.id(), d.chunkCount(), d.tokenCount(), "unchanged"));
      }
      record(file = file.with(FileStatus.PARSING));
      ParsedDocument parsed = parser.parse(new Source(file.sourcePath(), spool.resolve(file.spoolFile()),
          file.sizeBytes()));
      List<Chunk> chunks = chunker.chunk(parsed);
      if (chunks.isEmpty()) {
        throw new ParseFailure(FailureKind.NO_TEXT, "no text was found in the file");
      }
      boolean replacing = archive.catalog().findBySourcePath(collection, file.sourcePath()).isPresent();
      Document written = archive.write(draft(collection, file, parsed), chunks);
      JobFile searchable = file.withResult(FileStatus.SEARCHABLE, written.id(), written.chunkCount(),
          written.tokenCount(), replacing ? "replaced" : "created");
      record(searchable);
      return searchable;
    } catch (ParseFailure f) {
      return finish(file.failed(Intake.errorOf(f.kind(), f.getMessage())));
    } catch (RuntimeException | Error e) {
      LOG.errorf(e, "ingesting %s of job %s failed", file.sourcePath(), file.jobId());
      return finish(file.failed(new FileError("/problems/ingest-failed", "Ingestion failed",
          "the file could not be ingested: " + message(e))));
    }
  }

  /** Embeds a SEARCHABLE file's document and finishes it (DONE, or FAILED with the document still searchable). */
  public JobFile embed(JobFile file) {
    try {
      Optional<Document> current = archive.catalog().find(file.documentId());
      if (current.isEmpty()) {
        return finish(file.with(FileStatus.DONE));
      }
      Document doc = current.get();
      record(file = file.with(FileStatus.EMBEDDING));
      embedDocument(doc);
      return finish(file.with(FileStatus.DONE));
    } catch (RuntimeException | Error e) {
      LOG.errorf(e, "embedding document %s failed", file.documentId());
      archive.catalog().find(file.documentId()).ifPresent(d -> archive.catalog().setStatus(d.id(), d.version(),
          DocumentStatus.FAILED, "embedding failed: " + message(e)));
      return finish(file.failed(new FileError("/problems/embedding-failed", "Embedding failed",
          "the document is searchable by keywords, but embedding failed: " + message(e))));
    }
  }

  /** Embeds every chunk of a published document version in batches and stores the vectors. */
  public void embedDocument(Document doc) {
    List<Chunk> chunks = archive.catalog().chunks(doc.id(), doc.version());
    List<EmbeddedChunk> embedded = new ArrayList<>(chunks.size());
    for (int i = 0; i < chunks.size(); i += embedBatch) {
      List<Chunk> batch = chunks.subList(i, Math.min(chunks.size(), i + embedBatch));
      List<float[]> vectors = embedder.embed(batch.stream().map(Chunk::text).toList());
      for (int j = 0; j < batch.size(); j++) {
        embedded.add(new EmbeddedChunk(batch.get(j), vectors.get(j)));
      }
    }
    archive.addVectors(doc, embedded);
  }

  private Optional<Document> sameBytes(String collection, JobFile file) {
    if (file.sha256() == null) {
      return Optional.empty();
    }
    List<Document> same = archive.catalog().findBySha256(collection, file.sha256());
    return same.stream().filter(d -> d.sourcePath().equals(file.sourcePath())).findFirst()
        .or(() -> same.stream().findFirst());
  }

  private static Document draft(String collection, JobFile file, ParsedDocument parsed) {
    Map<String, String> metadata = new java.util.HashMap<>(parsed.metadata());
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
    JobFile done = file;
    if (file.status().isFinal() && file.spoolFile() != null) {
      spool.delete(file.spoolFile());
      done = file.withoutSpool();
    }
    record(done);
    return done;
  }

  private void record(JobFile file) {
    archive.jobs().update(file);
  }

  private static String message(Throwable e) {
    if (e instanceof OutOfMemoryError) {
      return "the file needs more memory than the service has";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
