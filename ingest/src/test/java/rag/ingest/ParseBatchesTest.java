package rag.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.ingest.intake.Upload;
import rag.ingest.parse.Parser;
import rag.ingest.parse.TikaParser;
import rag.storage.Archive;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.jobs.FileOutcome;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobFile;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.Chunk;
import rag.storage.model.SearchFilter;

/** Small files are made searchable in batches (one refresh, a few transactions); every file keeps its own outcome. */
class ParseBatchesTest {
  private static OnnxEmbedder embedder;

  @TempDir
  Path dir;

  @BeforeAll
  static void loadModel() {
    embedder = new OnnxEmbedder(InProcessModel.ALL_MINILM_L6_V2_Q, 2);
  }

  @AfterAll
  static void closeModel() {
    embedder.close();
  }

  private Upload file(String name, String text) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    return new Upload(name, null, Files.writeString(src.resolve(name), text));
  }

  private static List<String> bm25(Archive archive, String text) {
    return archive.lexicalSearch(new LexicalQuery(text, SearchFilter.collection("notes"), 100)).stream()
        .map(h -> h.chunk().text()).toList();
  }

  @Test
  void aBatchGivesEachFileItsOwnOutcome() throws Exception {
    Path data = dir.resolve("data");
    try (Archive archive = IngestFixture.openArchive(data, embedder)) {
      IngestPipeline pipeline = IngestFixture.pipeline(data, archive, embedder, 16);
      IngestJob earlier = IngestFixture.intake(data, archive).accept("notes", List.of(
          file("replaced.txt", "The old lighthouse log."), file("same.txt", "Unchanged harbour notes.")));
      List<JobFile> searchable = pipeline.makeSearchableAll("notes", earlier.files());
      assertThat(searchable).extracting(JobFile::status).containsOnly(FileStatus.SEARCHABLE);
      assertThat(pipeline.embedAll(searchable)).extracting(JobFile::status).containsOnly(FileStatus.DONE);

      Path src = dir.resolve("src");
      Files.writeString(src.resolve("replaced.txt"), "The new lighthouse log about storms.");
      IngestJob job = IngestFixture.intake(data, archive).accept("notes", List.of(
          file("alpha.txt", "Alpha notes about the river delta."),
          new Upload("replaced.txt", null, src.resolve("replaced.txt")),
          new Upload("same.txt", null, src.resolve("same.txt")),
          file("broken.pdf", "%PDF-1.7\nthis is not a PDF body at all"),
          file("blank.txt", "   \n\n  "),
          file("beta.md", "# Beta\n\nBeta text on the mountain pass.")));
      List<JobFile> queued = job.files().stream().filter(f -> f.status() == FileStatus.QUEUED).toList();

      List<JobFile> results = pipeline.makeSearchableAll("notes", queued);

      assertThat(results).extracting(JobFile::sourcePath)
          .containsExactlyElementsOf(queued.stream().map(JobFile::sourcePath).toList());
      Map<String, JobFile> byName = results.stream().collect(Collectors.toMap(JobFile::sourcePath, f -> f));
      assertThat(byName.get("alpha.txt").outcome()).isEqualTo(FileOutcome.CREATED);
      assertThat(byName.get("beta.md").outcome()).isEqualTo(FileOutcome.CREATED);
      assertThat(byName.get("replaced.txt").outcome()).isEqualTo(FileOutcome.REPLACED);
      assertThat(List.of("alpha.txt", "beta.md", "replaced.txt"))
          .allSatisfy(name -> assertThat(byName.get(name).status()).isEqualTo(FileStatus.SEARCHABLE));
      assertThat(byName.get("same.txt").status()).isEqualTo(FileStatus.UNCHANGED);
      assertThat(byName.get("broken.pdf").status()).isEqualTo(FileStatus.FAILED);
      assertThat(byName.get("broken.pdf").error().detail()).isNotBlank();

      IngestJob stored = archive.jobs().find(job.id()).orElseThrow();
      Map<String, JobFile> storedByName = stored.files().stream()
          .collect(Collectors.toMap(JobFile::sourcePath, Function.identity()));
      byName.forEach((name, result) -> assertThat(storedByName.get(name).status()).as(name).isEqualTo(result.status()));
      assertThat(storedByName.get("blank.txt").status()).isEqualTo(FileStatus.FAILED);
      assertThat(stored.files()).allSatisfy(f -> assertThat(f.spoolFile()).as(f.sourcePath()).isNull());
      assertThat(dir.resolve("data/originals")).isNotEmptyDirectory();

      assertThat(bm25(archive, "river delta")).containsExactly("Alpha notes about the river delta.");
      assertThat(bm25(archive, "mountain")).hasSize(1);
      assertThat(bm25(archive, "lighthouse")).containsExactly("The new lighthouse log about storms.");
      assertThat(archive.reader().list("notes", 0, 100)).hasSize(4);
    }
  }

  @Test
  void aPathGivenTwiceIsWrittenOnceThenUnchangedOrReplaced() throws Exception {
    Path data = dir.resolve("data-twice");
    try (Archive archive = IngestFixture.openArchive(data, embedder)) {
      IngestPipeline pipeline = IngestFixture.pipeline(data, archive, embedder, 16);
      Path twin = Files.createDirectories(dir.resolve("twin"));
      IngestJob job = IngestFixture.intake(data, archive).accept("notes", List.of(
          file("same.txt", "Walrus notes from the ice."),
          file("other.txt", "Other notes on seals."),
          new Upload("same.txt", null, Files.writeString(twin.resolve("same.txt"), "Walrus notes from the ice.")),
          file("changed.txt", "First narwhal entry."),
          new Upload("changed.txt", null, Files.writeString(twin.resolve("changed.txt"), "Second narwhal entry."))));

      List<JobFile> results = pipeline.makeSearchableAll("notes", job.files());

      assertThat(results).extracting(JobFile::sourcePath)
          .containsExactly("same.txt", "other.txt", "same.txt", "changed.txt", "changed.txt");
      assertThat(results).extracting(JobFile::outcome).containsExactly(FileOutcome.CREATED, FileOutcome.CREATED,
          FileOutcome.UNCHANGED, FileOutcome.CREATED, FileOutcome.REPLACED);
      assertThat(archive.reader().list("notes", 0, 100)).extracting(d -> d.sourcePath() + " v" + d.version())
          .containsExactly("changed.txt v2", "other.txt v1", "same.txt v1");
      assertThat(bm25(archive, "narwhal")).containsExactly("Second narwhal entry.");
      assertThat(archive.jobs().find(job.id()).orElseThrow().files()).extracting(JobFile::outcome)
          .containsExactlyElementsOf(results.stream().map(JobFile::outcome).toList());

      // the same file again in a later upload, while the first still owes its vectors: unchanged, not made again
      IngestJob again = IngestFixture.intake(data, archive).accept("notes",
          List.of(new Upload("same.txt", null, twin.resolve("same.txt"))));
      assertThat(pipeline.makeSearchableAll("notes", again.files())).singleElement()
          .satisfies(f -> assertThat(f.outcome()).isEqualTo(FileOutcome.UNCHANGED));
    }
  }

  /**
   * Through the workers: a file is parsed before the one parsed just before it on the same worker is published (they
   * are written together), and every file ends embedded, each once.
   */
  @Test
  void workersParseWaitingSmallFilesTogether() throws Exception {
    Path data = dir.resolve("data-workers");
    List<Upload> uploads = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      uploads.add(file("note-" + i + ".txt", "Note " + i + " on tides and the keeper's lamp, entry " + i + "."));
    }
    try (Archive archive = IngestFixture.openArchive(data, embedder)) {
      Map<Thread, String> previous = new ConcurrentHashMap<>();
      List<Boolean> previousPublished = new CopyOnWriteArrayList<>();
      Parser tika = new TikaParser();
      Parser watching = source -> {
        String before = previous.put(Thread.currentThread(), source.sourcePath());
        if (before != null) {
          previousPublished.add(archive.reader().findBySourcePath("notes", before).isPresent());
        }
        return tika.parse(source);
      };
      IngestPipeline pipeline = IngestFixture.pipeline(data, archive, watching, embedder, 16);
      IngestJob job = IngestFixture.intake(data, archive).accept("notes", uploads);
      try (IngestWorkers workers = new IngestWorkers(pipeline, 2, 1000, 16)) {
        workers.submit(job);
        IngestFixture.awaitIdle(workers, Duration.ofSeconds(120));
      }

      assertThat(previousPublished).as("parsed while the previous file of its batch waited").contains(false);
      assertThat(archive.jobs().find(job.id()).orElseThrow().files()).extracting(JobFile::status)
          .containsOnly(FileStatus.DONE);
      assertThat(archive.reader().list("notes", 0, 200)).hasSize(120);
      assertThat(archive.internals().lexical().versionKeys()).hasSize(120);
      assertThat(archive.internals().vectors().vectorCount()).isEqualTo(120);
      assertThat(bm25(archive, "entry 77")).anyMatch(text -> text.startsWith("Note 77 "));
      assertThat(archive.reader().chunks(archive.reader().findBySourcePath("notes", "note-5.txt").orElseThrow().id()))
          .extracting(Chunk::text).containsExactly("Note 5 on tides and the keeper's lamp, entry 5.");
    }
  }
}
