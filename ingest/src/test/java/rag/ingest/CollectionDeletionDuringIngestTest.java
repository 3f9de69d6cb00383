package rag.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.ingest.intake.Upload;
import rag.ingest.parse.ParseFailure;
import rag.ingest.parse.ParsedDocument;
import rag.ingest.parse.Parser;
import rag.ingest.parse.Source;
import rag.ingest.parse.TikaParser;
import rag.storage.Archive;
import rag.storage.embed.Embedder;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.jobs.FileError;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobFile;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.Chunk;
import rag.storage.model.CollectionDeletion;
import rag.storage.model.Document;
import rag.storage.model.Provenance;
import rag.storage.model.SearchFilter;

/**
 * A collection deleted while its files wait, are parsed or are embedded: those files end failed with
 * "collection deleted", and nothing of them reaches the archive, not even once the name is used
 * again; their spooled bytes and the collection's originals go.
 */
class CollectionDeletionDuringIngestTest {
  private static OnnxEmbedder model;

  @TempDir
  Path dir;

  @BeforeAll
  static void loadModel() {
    model = new OnnxEmbedder(InProcessModel.ALL_MINILM_L6_V2_Q, 2);
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  /**
   * Tika, holding the result of any file named "slow..." until the test opens the gate: the file is
   * read already (its spooled bytes may go), and the worker has yet to write its document.
   */
  private static final class GatedParser implements Parser {
    final TikaParser tika = new TikaParser();
    final CountDownLatch entered = new CountDownLatch(2);
    final CountDownLatch gate = new CountDownLatch(1);

    @Override
    public ParsedDocument parse(Source source) throws ParseFailure {
      ParsedDocument parsed = tika.parse(source);
      if (source.fileName().startsWith("slow")) {
        entered.countDown();
        await(gate);
      }
      return parsed;
    }
  }

  /** The real model, holding every call while the gate is closed. */
  private static final class GatedEmbedder implements Embedder {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch gate = new CountDownLatch(1);

    @Override
    public List<float[]> embed(List<String> texts) {
      entered.countDown();
      await(gate);
      return model.embed(texts);
    }

    @Override
    public int dimension() {
      return model.dimension();
    }

    @Override
    public String modelName() {
      return model.modelName();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never opened the gate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Upload file(String name, String text) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    return new Upload(name, null, Files.writeString(src.resolve(name), text));
  }

  private IngestService service(Archive archive, Parser parser, Embedder embedder) {
    Path data = dir.resolve("data");
    IngestPipeline pipeline = IngestFixture.pipeline(data, archive, parser, embedder, 16);
    return new IngestService(IngestFixture.intake(data, archive), new IngestWorkers(pipeline, 2, 100, 16),
        archive.jobs(), List.of());
  }

  /** What the service does on DELETE: hide and purge, remove what ingest keeps, forget the deletion. */
  private static CollectionDeletion delete(Archive archive, IngestService service, String collection) {
    CollectionDeletion deletion = archive.deleteCollection(collection).orElseThrow();
    service.collectionDeleted(deletion);
    archive.completeDeletion(deletion);
    return deletion;
  }

  private static long bm25(Archive archive, String text) {
    return archive.lexicalSearch(new LexicalQuery(text, SearchFilter.all(), 100)).size();
  }

  private long files(String folder) throws Exception {
    Path p = dir.resolve("data").resolve(folder);
    try (Stream<Path> all = Files.walk(p)) {
      return all.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void filesQueuedOrBeingParsedEndCancelledAndNeverResurrectTheCollection() throws Exception {
    GatedParser parser = new GatedParser();
    try (Archive archive = IngestFixture.openArchive(dir.resolve("data"), model);
        IngestService service = service(archive, parser, model)) {
      IngestJob first = service.submit("doomed", List.of(file("old.txt", "Old notes about the harbour wall.")));
      IngestFixture.awaitIdle(service, Duration.ofSeconds(60));
      String oldId = archive.jobs().find(first.id()).orElseThrow().files().get(0).documentId();
      assertThat(dir.resolve("data/originals").resolve(oldId)).exists();

      // both parse workers are held on a slow file; the third file waits in the queue
      IngestJob second = service.submit("doomed", List.of(file("slow-1.txt", "Slow words about the lighthouse."),
          file("slow-2.txt", "Slow words about the foghorn."), file("queued.txt", "Queued words about ferries.")));
      assertThat(parser.entered.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(archive.jobs().find(second.id()).orElseThrow().files()).extracting(JobFile::status)
          .containsExactly(FileStatus.PARSING, FileStatus.PARSING, FileStatus.QUEUED);
      CollectionDeletion deletion = delete(archive, service, "doomed");
      assertThat(deletion.documentIds()).containsExactly(oldId);
      assertThat(files("originals")).isZero();

      // the name is used again at once, while the slow files are still being parsed for the deleted collection
      Document fresh = archive.write(Document.draft("doomed", "fresh.txt", "text/plain", "sha-fresh", 10, "Fresh",
          "en", null, Map.of()), List.of(Chunk.draft(0, "Fresh words about the pier.", 6,
          Provenance.lines(1, 1, null))));
      parser.gate.countDown();
      IngestFixture.awaitIdle(service, Duration.ofSeconds(60));

      IngestJob cancelled = archive.jobs().find(second.id()).orElseThrow();
      assertThat(cancelled.state()).isEqualTo(IngestJob.State.FAILED);
      assertThat(cancelled.files()).allSatisfy(f -> {
        assertThat(f.status()).isEqualTo(FileStatus.FAILED);
        assertThat(f.error()).isEqualTo(FileError.collectionDeleted("doomed"));
        assertThat(f.spoolFile()).isNull();
        assertThat(f.documentId()).isNull();
      });
      assertThat(archive.jobs().find(first.id()).orElseThrow().state()).isEqualTo(IngestJob.State.SUCCEEDED);
      assertThat(archive.reader().list("doomed", 0, 10)).extracting(Document::id).containsExactly(fresh.id());
      assertThat(bm25(archive, "lighthouse")).isZero();
      assertThat(bm25(archive, "foghorn")).isZero();
      assertThat(bm25(archive, "ferries")).isZero();
      assertThat(bm25(archive, "harbour")).isZero();
      assertThat(bm25(archive, "pier")).isEqualTo(1);
      assertThat(archive.internals().lexical().versionKeys()).containsExactly(fresh.id() + ":1");
      assertThat(archive.internals().vectors().versionKeys()).isEmpty();
      assertThat(files("spool")).isZero();
      assertThat(files("originals")).isZero();
      assertThat(archive.pendingDeletions()).isEmpty();
    }
  }

  @Test
  void aFileBeingEmbeddedWhenItsCollectionIsDeletedLeavesNoVectors() throws Exception {
    GatedEmbedder embedder = new GatedEmbedder();
    try (Archive archive = IngestFixture.openArchive(dir.resolve("data"), embedder);
        IngestService service = service(archive, new TikaParser(), embedder)) {
      IngestJob job = service.submit("doomed", List.of(file("a.txt", "Words about the tides at the quay.")));
      assertThat(embedder.entered.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(bm25(archive, "tides")).as("searchable before its vectors").isEqualTo(1);

      delete(archive, service, "doomed");
      embedder.gate.countDown();
      IngestFixture.awaitIdle(service, Duration.ofSeconds(60));

      JobFile file = archive.jobs().find(job.id()).orElseThrow().files().get(0);
      assertThat(file.status()).isEqualTo(FileStatus.FAILED);
      assertThat(file.error().type()).isEqualTo("/problems/collection-deleted");
      assertThat(archive.internals().vectors().vectorCount()).isZero();
      assertThat(archive.internals().lexical().chunkCount()).isZero();
      assertThat(bm25(archive, "tides")).isZero();
      assertThat(archive.reader().collections()).isEmpty();
      assertThat(files("originals")).isZero();
    }
  }

  private static void awaitFinal(Archive archive, String jobId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (archive.jobs().find(jobId).orElseThrow().files().stream().anyMatch(f -> !f.status().isFinal())) {
      assertThat(System.nanoTime()).as("job %s still running", jobId).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
