package rag.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.ingest.intake.Upload;
import rag.storage.Archive;
import rag.storage.embed.Embedder;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobFile;
import rag.storage.model.DocumentStatus;

/** Small documents share embedding batches; a document the embedder rejects fails alone. */
class EmbeddingBatchesTest {
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
   * The real model, recording the size of every call, refusing any text that contains "POISON", and
   * holding its first call until the test opens the gate (so that files are waiting when it returns).
   */
  private static final class RecordingEmbedder implements Embedder {
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    final List<String> texts = new CopyOnWriteArrayList<>();
    final CountDownLatch gate = new CountDownLatch(1);

    @Override
    public List<float[]> embed(List<String> texts) {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      batchSizes.add(texts.size());
      this.texts.addAll(texts);
      if (texts.stream().anyMatch(t -> t.contains("POISON"))) {
        throw new IllegalStateException("the embedder refused a text");
      }
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

  private List<Upload> smallFiles(int n, int poisoned) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    List<Upload> uploads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String text = "Note " + i + " about the lighthouse keeper and the tides." + (i == poisoned ? " POISON" : "");
      uploads.add(new Upload("note-" + i + ".txt", null, Files.writeString(src.resolve("note-" + i + ".txt"), text)));
    }
    return uploads;
  }

  @Test
  void smallDocumentsShareBatchesAndABadOneFailsAlone() throws Exception {
    RecordingEmbedder embedder = new RecordingEmbedder();
    Path data = dir.resolve("data");
    try (Archive archive = IngestFixture.openArchive(data, embedder)) {
      IngestPipeline pipeline = IngestFixture.pipeline(data, archive, embedder, 8);
      IngestJob job = IngestFixture.intake(data, archive).accept("notes", smallFiles(24, 5));
      List<JobFile> searchable = job.files().stream().map(f -> pipeline.makeSearchable("notes", f)).toList();
      assertThat(searchable).extracting(JobFile::status).containsOnly(FileStatus.SEARCHABLE);

      try (IngestWorkers workers = new IngestWorkers(pipeline, 1, 100, 8)) {
        workers.submit("notes", searchable);
        embedder.gate.countDown();
        IngestFixture.awaitIdle(workers, Duration.ofSeconds(60));
      }

      IngestJob done = archive.jobs().find(job.id()).orElseThrow();
      List<JobFile> failed = done.files().stream().filter(f -> f.status() == FileStatus.FAILED).toList();
      assertThat(failed).extracting(JobFile::name).containsExactly("note-5.txt");
      assertThat(failed.get(0).error().detail()).contains("searchable by keywords").contains("refused");
      assertThat(done.files()).filteredOn(f -> f.status() != FileStatus.FAILED)
          .extracting(JobFile::status).containsOnly(FileStatus.DONE);
      assertThat(done.state()).isEqualTo(IngestJob.State.PARTIAL);
      assertThat(embedder.batchSizes).as("calls that embedded several documents at once").anyMatch(size -> size > 1);
      assertThat(embedder.batchSizes).allMatch(size -> size <= 8);
      assertThat(archive.internals().vectors().vectorCount()).isEqualTo(23);
      assertThat(archive.reader().list("notes", 0, 100)).filteredOn(d -> d.sourcePath().equals("note-5.txt"))
          .extracting(d -> d.status()).containsExactly(DocumentStatus.FAILED);
    }
  }

  /**
   * Searchable first (issue 16): with a deferral, the embedder starts only when no file waits to be parsed any more,
   * so parsing has the cores; every file still ends done with its vectors.
   */
  @Test
  void embeddingWaitsWhileFilesWaitToBeParsed() throws Exception {
    RecordingEmbedder embedder = new RecordingEmbedder();
    embedder.gate.countDown();
    Path data = dir.resolve("data-defer");
    try (Archive archive = IngestFixture.openArchive(data, embedder)) {
      IngestJob job = IngestFixture.intake(data, archive).accept("notes", smallFiles(40, -1));
      List<Long> queuedAtFirstEmbedding = new CopyOnWriteArrayList<>();
      Embedder watching = new Embedder() {
        @Override
        public List<float[]> embed(List<String> texts) {
          if (queuedAtFirstEmbedding.isEmpty()) {
            queuedAtFirstEmbedding.add(archive.jobs().find(job.id()).orElseThrow().files().stream()
                .filter(f -> f.status() == FileStatus.QUEUED).count());
          }
          return embedder.embed(texts);
        }

        @Override
        public int dimension() {
          return embedder.dimension();
        }

        @Override
        public String modelName() {
          return embedder.modelName();
        }
      };
      IngestPipeline deferring = IngestFixture.pipeline(data, archive, watching, 8);
      try (IngestWorkers workers = new IngestWorkers(deferring, 1, 100, 8, Duration.ofSeconds(30))) {
        workers.submit(job);
        IngestFixture.awaitIdle(workers, Duration.ofSeconds(60));
      }
      assertThat(queuedAtFirstEmbedding).containsExactly(0L);
      assertThat(archive.jobs().find(job.id()).orElseThrow().files()).extracting(JobFile::status)
          .containsOnly(FileStatus.DONE);
      assertThat(archive.internals().vectors().vectorCount()).isEqualTo(40);
    }
  }

  /**
   * Searchable first also while a file is being parsed with none waiting (one large upload): the documents that
   * wait for vectors are embedded once its parse is over, not beside it.
   */
  @Test
  void embeddingWaitsWhileAFileIsBeingParsed() throws Exception {
    RecordingEmbedder embedder = new RecordingEmbedder();
    embedder.gate.countDown();
    Path data = dir.resolve("data-parsing");
    try (Archive archive = IngestFixture.openArchive(data, embedder)) {
      IngestJob ready = IngestFixture.intake(data, archive).accept("notes", smallFiles(3, -1));
      IngestPipeline plain = IngestFixture.pipeline(data, archive, embedder, 8);
      List<JobFile> searchable = plain.makeSearchableAll("notes", ready.files());
      Path big = Files.writeString(dir.resolve("src/big.txt"), "A long file about the estuary. ".repeat(200));
      IngestJob large = IngestFixture.intake(data, archive).accept("notes",
          List.of(new Upload("big.txt", null, big)));
      CountDownLatch parsingBig = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      rag.ingest.parse.Parser tika = new rag.ingest.parse.TikaParser();
      rag.ingest.parse.Parser held = source -> {
        parsingBig.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return tika.parse(source);
      };
      IngestPipeline deferring = IngestFixture.pipeline(data, archive, held, embedder, 8);
      try (IngestWorkers workers = new IngestWorkers(deferring, 1, 100, 8, Duration.ofSeconds(30))) {
        workers.submit(large);
        assertThat(parsingBig.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        workers.submit("notes", searchable);
        Thread.sleep(1_000);
        assertThat(embedder.batchSizes).as("embedding calls while the large file is parsed").isEmpty();
        release.countDown();
        IngestFixture.awaitIdle(workers, Duration.ofSeconds(60));
      }
      assertThat(embedder.batchSizes).isNotEmpty();
      assertThat(archive.jobs().find(ready.id()).orElseThrow().files()).extracting(JobFile::status)
          .containsOnly(FileStatus.DONE);
      assertThat(archive.jobs().find(large.id()).orElseThrow().files()).extracting(JobFile::status)
          .containsOnly(FileStatus.DONE);
    }
  }

  /**
   * The model reads each chunk after its header (file name and code symbol here), the catalog keeps the text alone;
   * with embed-context off the model reads the text alone.
   */
  @Test
  void theEmbedderReadsEachChunkAfterItsHeaderAndTheCatalogKeepsTheText() throws Exception {
    Path src = Files.createDirectories(dir.resolve("code"));
    Path java = Files.writeString(src.resolve("Inventory.java"), """
        public class Inventory {
          public void add(String product, int count) {
            if (count <= 0) {
              throw new IllegalArgumentException("count must be positive");
            }
          }
        }
        """);
    for (boolean context : new boolean[] {true, false}) {
      RecordingEmbedder recording = new RecordingEmbedder();
      recording.gate.countDown();
      List<String> read = recording.texts;
      Path data = dir.resolve("data-" + context);
      try (Archive archive = IngestFixture.openArchive(data, recording)) {
        IngestPipeline pipeline = IngestPipeline.builder(archive, new rag.ingest.intake.Spool(data.resolve("spool")))
            .parser(new rag.ingest.parse.TikaParser()).chunker(rag.ingest.chunk.Chunkers.byFormat(
                new rag.ingest.chunk.ChunkingConfig(200, 20), rag.storage.embed.JTokkitTokenCounter.cl100k()))
            .embedder(recording).embedContext(context).build();
        IngestJob job = IngestFixture.intake(data, archive).accept("code", List.of(new Upload("Inventory.java", null,
            java)));
        JobFile file = pipeline.embed(pipeline.makeSearchable("code", job.files().get(0)));
        assertThat(file.status()).isEqualTo(FileStatus.DONE);
        var doc = archive.reader().list("code", 0, 10).get(0);
        var chunks = archive.reader().chunks(doc.id());
        assertThat(read).hasSameSizeAs(chunks);
        for (int i = 0; i < chunks.size(); i++) {
          assertThat(chunks.get(i).text()).as("the catalog keeps the text alone").doesNotStartWith("Inventory.java");
          String header = rag.storage.model.ChunkContext.header(doc, chunks.get(i));
          assertThat(header).startsWith("Inventory.java › ");
          assertThat(read.get(i)).isEqualTo(context ? header + "\n\n" + chunks.get(i).text() : chunks.get(i).text());
        }
      }
    }
  }
}
