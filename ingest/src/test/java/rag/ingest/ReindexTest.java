package rag.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.ingest.intake.Upload;
import rag.storage.Archive;
import rag.storage.embed.Embedder;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.jobs.FileOutcome;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobFile;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.DocumentStatus;
import rag.storage.model.ScoredChunk;
import rag.storage.model.SearchFilter;
import rag.storage.vector.VectorQuery;

/**
 * Re-indexing after a change of embedding model, through the ingest service: a job re-embeds every document of the
 * collection with the configured model from the chunk text in the catalog, the collection switches once all have
 * new vectors, and a stop half-way resumes at the next start, the old vectors serving until the switch.
 */
class ReindexTest {
  private static OnnxEmbedder minilm;
  private static OnnxEmbedder bge;

  @TempDir
  Path dir;

  @BeforeAll
  static void loadModels() {
    minilm = new OnnxEmbedder(InProcessModel.ALL_MINILM_L6_V2_Q, 2);
    bge = new OnnxEmbedder(InProcessModel.BGE_SMALL_EN_V15_Q, 2);
  }

  @AfterAll
  static void closeModels() {
    minilm.close();
    bge.close();
  }

  private Path data() {
    return dir.resolve("data");
  }

  private IngestService service(Archive archive, Embedder embedder) {
    return IngestFixture.service(data(), archive, embedder, 100, 16);
  }

  private static void awaitIdle(IngestService service) throws InterruptedException {
    IngestFixture.awaitIdle(service, Duration.ofSeconds(60));
  }

  private List<Upload> uploads() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    return List.of(
        new Upload("a.txt", "notes", Files.writeString(src.resolve("a.txt"), "Alpha notes about the river delta.")),
        new Upload("b.md", "notes", Files.writeString(src.resolve("b.md"), "# Beta\n\nBeta text on mountain passes.")),
        new Upload("c.txt", "notes", Files.writeString(src.resolve("c.txt"), "Gamma: a report on river floods.")));
  }

  /** Ingests the uploads into "docs" and one file into "other", all embedded by minilm. */
  private void ingestWithMinilm() throws Exception {
    try (Archive archive = IngestFixture.openArchive(data(), minilm); IngestService service = service(archive, minilm)) {
      service.submit("docs", uploads());
      service.submit("other", uploads().subList(0, 1));
      awaitIdle(service);
      assertThat(archive.reader().list("docs", 0, 10)).extracting(d -> d.status()).containsOnly(DocumentStatus.READY);
    }
  }

  private static Set<String> documents(List<ScoredChunk> hits) {
    Set<String> ids = new HashSet<>();
    hits.forEach(h -> ids.add(h.chunk().documentId()));
    return ids;
  }

  private static List<ScoredChunk> knn(Archive archive, Embedder model, String collection) {
    return archive.vectorSearch(new VectorQuery(model.embedQuery("floods of the river"),
        SearchFilter.collection(collection), 10, model.modelName()));
  }

  @Test
  void aReindexJobReembedsEveryDocumentAndSwitchesTheCollection() throws Exception {
    ingestWithMinilm();

    try (Archive archive = IngestFixture.openArchive(data(), bge); IngestService service = service(archive, bge)) {
      assertThat(archive.vectorState("docs").needsReindex()).isTrue();
      assertThat(service.resume()).as("a model change starts no work by itself").isZero();

      IngestJob job = service.reindex("docs");
      assertThat(job.kind()).isEqualTo(IngestJob.Kind.REINDEX);
      assertThat(job.files()).hasSize(3).allSatisfy(f -> {
        assertThat(f.outcome()).isEqualTo(FileOutcome.RE_INDEXED);
        assertThat(f.documentId()).isNotNull();
      });
      awaitIdle(service);

      IngestJob done = archive.jobs().find(job.id()).orElseThrow();
      assertThat(done.state()).isEqualTo(IngestJob.State.SUCCEEDED);
      assertThat(done.files()).extracting(JobFile::status).containsOnly(FileStatus.DONE);
      assertThat(archive.vectorState("docs").needsReindex()).isFalse();
      assertThat(archive.vectorState("docs").searched().model()).isEqualTo(bge.modelName());
      assertThat(documents(knn(archive, bge, "docs"))).hasSize(3);
      assertThat(knn(archive, minilm, "docs")).isEmpty();
      assertThat(archive.vectorState("other").needsReindex()).as("re-indexed on its own").isTrue();
      assertThat(documents(knn(archive, minilm, "other"))).hasSize(1);

      IngestJob nothingLeft = service.reindex("docs");
      assertThat(nothingLeft.files()).isEmpty();
      assertThat(nothingLeft.state()).isEqualTo(IngestJob.State.SUCCEEDED);

      service.reindex("other");
      awaitIdle(service);
      assertThat(archive.vectorState("other").needsReindex()).isFalse();
      assertThat(archive.generations().open()).as("minilm's vectors are dropped").hasSize(1);
      assertThat(archive.internals().vectors().vectorCount()).isEqualTo(4);
    }
  }

  @Test
  void aReindexStoppedHalfWayResumesAtTheNextStartAndTheOldVectorsServeMeanwhile() throws Exception {
    ingestWithMinilm();
    String jobId;
    // 1. the re-index is recorded; one document gets its new vectors, the next is being embedded when the process stops
    try (Archive archive = IngestFixture.openArchive(data(), bge); IngestService service = service(archive, bge)) {
      service.workers().close(); // nothing runs the job: the test plays the workers' part
      IngestJob job = service.reindex("docs");
      jobId = job.id();
      assertThat(service.reindex("docs").id()).as("asked again while unfinished").isEqualTo(jobId);
      JobFile first = IngestFixture.pipeline(data(), archive, bge, 16).embed(job.files().get(0));
      assertThat(first.status()).isEqualTo(FileStatus.DONE);
      archive.jobs().update(job.files().get(1).with(FileStatus.EMBEDDING));

      assertThat(archive.vectorState("docs").needsReindex()).isTrue();
      assertThat(documents(knn(archive, minilm, "docs"))).as("every document, by its old vectors").hasSize(3);
      assertThat(knn(archive, bge, "docs")).as("never a mix with the new vectors").isEmpty();
      assertThat(archive.lexicalSearch(new LexicalQuery("river", SearchFilter.collection("docs"), 10))).hasSize(2);
    }

    // 2. the next start resumes the job's two unfinished files and switches when they are done
    try (Archive archive = IngestFixture.openArchive(data(), bge); IngestService service = service(archive, bge)) {
      assertThat(archive.vectorState("docs").needsReindex()).isTrue();
      assertThat(documents(knn(archive, minilm, "docs"))).hasSize(3);
      assertThat(service.resume()).isEqualTo(2);
      awaitIdle(service);

      IngestJob done = archive.jobs().find(jobId).orElseThrow();
      assertThat(done.state()).isEqualTo(IngestJob.State.SUCCEEDED);
      assertThat(done.files()).extracting(JobFile::status).containsOnly(FileStatus.DONE);
      assertThat(archive.vectorState("docs").needsReindex()).isFalse();
      assertThat(documents(knn(archive, bge, "docs"))).hasSize(3);
      assertThat(knn(archive, minilm, "docs")).isEmpty();
      assertThat(archive.jobs().recent(10)).as("no repair job: the re-index owed those vectors")
          .extracting(IngestJob::kind).doesNotContain(IngestJob.Kind.REPAIR);
    }
  }
}
