package rag.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.storage.Archive;
import rag.storage.ArchiveFactory;
import rag.storage.StorageConfig;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.jobs.FileStatus;
import rag.storage.jobs.IngestJob;
import rag.storage.jobs.JobFile;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.Document;
import rag.storage.model.DocumentStatus;
import rag.storage.model.ScoredChunk;
import rag.storage.model.SearchFilter;

/**
 * Kills the ingesting process with SIGKILL at random moments, restarts it on the same data, and
 * checks after every kill that only whole documents are visible, and at the end that every
 * accepted file was ingested exactly once.
 */
class KillDuringIngestIT {
  private static final int FILES = 30;
  private static final int KILLS = 3;

  @TempDir
  Path dir;

  @Test
  void killedAtRandomMomentsEveryAcceptedFileIsIngestedExactlyOnce() throws Exception {
    long seed = System.nanoTime();
    System.out.println("KillDuringIngestIT seed " + seed);
    Random random = new Random(seed);
    Path data = dir.resolve("data");
    Path input = writeInput(random);

    Harness first = Harness.start(data, "crash", input);
    String jobId = first.await("ACCEPTED ", Duration.ofSeconds(60)).substring("ACCEPTED ".length());
    first.killAfter(Duration.ofMillis(200 + random.nextInt(1500)));
    assertOnlyWholeDocumentsVisible(data);

    for (int k = 1; k < KILLS; k++) {
      Harness again = Harness.start(data, null, null);
      again.await("RESUMED ", Duration.ofSeconds(60));
      again.killAfter(Duration.ofMillis(300 + random.nextInt(2500)));
      assertOnlyWholeDocumentsVisible(data);
    }

    Harness last = Harness.start(data, null, null);
    last.await("IDLE", Duration.ofMinutes(4));
    assertThat(last.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(last.process.exitValue()).as("harness exit code").isZero();

    try (OnnxEmbedder embedder = new OnnxEmbedder(InProcessModel.ALL_MINILM_L6_V2_Q, 1);
        Archive archive = IngestFixture.openArchive(data, embedder)) {
      IngestJob job = archive.jobs().find(jobId).orElseThrow();
      assertThat(job.files()).hasSize(FILES);
      assertThat(job.files()).extracting(JobFile::status).isSubsetOf(FileStatus.DONE, FileStatus.UNCHANGED);
      assertThat(job.state()).isEqualTo(IngestJob.State.SUCCEEDED);
      List<Document> docs = archive.reader().list("crash", 0, 1000);
      assertThat(docs).hasSize(FILES);
      assertThat(docs).extracting(Document::sourcePath).doesNotHaveDuplicates();
      assertThat(docs).extracting(Document::status).containsOnly(DocumentStatus.READY);
      long chunks = docs.stream().mapToLong(Document::chunkCount).sum();
      assertThat(archive.internals().vectors().vectorCount()).isEqualTo(chunks);
      assertThat(archive.internals().lexical().versionKeys()).isEqualTo(archive.reader().publishedVersionKeys());
      assertThat(Files.list(data.resolve("spool")).toList()).as("spool emptied").isEmpty();
    }
  }

  /**
   * As the crash left it (before any repair), every document a search returns is published with all
   * of its chunks; after the start-up repair, BM25 holds exactly the published versions.
   */
  private static void assertOnlyWholeDocumentsVisible(Path data) {
    try (OnnxEmbedder embedder = new OnnxEmbedder(InProcessModel.ALL_MINILM_L6_V2_Q, 1);
        Archive archive = ArchiveFactory.open(StorageConfig.embedded(data), embedder.dimension(),
            embedder.modelName())) {
      for (Document doc : archive.reader().list("crash", 0, 1000)) {
        assertThat(archive.reader().chunks(doc.id())).hasSize(doc.chunkCount());
      }
      archive.jobs().unfinishedJobs().forEach(job -> System.out.println("killed with files "
          + job.files().stream().collect(Collectors.groupingBy(JobFile::status,
              Collectors.counting()))));
      List<ScoredChunk> hits = archive.lexicalSearch(new LexicalQuery("harbour lantern", SearchFilter.collection("crash"), 1000));
      Map<String, Integer> hitsPerDoc = new HashMap<>();
      for (ScoredChunk hit : hits) {
        hitsPerDoc.merge(hit.chunk().documentId(), 1, Integer::sum);
      }
      for (Map.Entry<String, Integer> e : hitsPerDoc.entrySet()) {
        Document doc = archive.reader().find(e.getKey()).orElseThrow();
        assertThat(e.getValue()).as("every chunk of %s mentions the query terms", doc.sourcePath())
            .isEqualTo(doc.chunkCount());
      }
      archive.reconcile();
      assertThat(archive.internals().lexical().versionKeys()).isEqualTo(archive.reader().publishedVersionKeys());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Files of different sizes, every chunk of which mentions "harbour" and "lantern". */
  private Path writeInput(Random random) throws IOException {
    Path input = Files.createDirectories(dir.resolve("input"));
    for (int i = 0; i < FILES; i++) {
      StringBuilder text = new StringBuilder();
      int paragraphs = 1 + random.nextInt(40);
      for (int p = 0; p < paragraphs; p++) {
        text.append("File ").append(i).append(" paragraph ").append(p)
            .append(": the harbour lantern burned while the keeper counted ships. ");
        text.append("The harbour lantern was trimmed again at dawn, and the tide turned. ".repeat(3));
        text.append("\n\n");
      }
      Files.writeString(input.resolve("file-" + i + ".txt"), text);
    }
    return input;
  }

  /** The harness JVM, with its output lines collected as they come. */
  private record Harness(Process process, BlockingQueue<String> lines) {
    static Harness start(Path data, String collection, Path folder) throws IOException {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx512m", "-cp", testClassPath(), CrashHarness.class.getName(), data.toString()));
      if (collection != null) {
        command.add(collection);
        command.add(folder.toString());
      }
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            lines.add(line);
          }
        } catch (IOException ignored) {
          // the process was killed
        }
      });
      reader.setDaemon(true);
      reader.start();
      return new Harness(process, lines);
    }

    String await(String prefix, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<String> seen = new ArrayList<>();
      while (System.nanoTime() < deadline) {
        String line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line != null) {
          seen.add(line);
          if (line.startsWith(prefix)) {
            return line;
          }
        } else if (!process.isAlive() && lines.isEmpty()) {
          break;
        }
      }
      process.destroyForcibly();
      throw new AssertionError("the harness did not print '" + prefix + "' within " + timeout + "; it printed:\n"
          + String.join("\n", seen.subList(Math.max(0, seen.size() - 40), seen.size())));
    }

    /** SIGKILL: no shutdown hooks, no finally blocks, no flushing. */
    void killAfter(Duration delay) throws InterruptedException {
      Thread.sleep(delay.toMillis());
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }
}
