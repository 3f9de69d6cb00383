package rag.storage.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.storage.Archive;
import rag.storage.ArchiveFactory;
import rag.storage.Fixtures;
import rag.storage.StorageConfig;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.ScoredChunk;
import rag.storage.model.SearchFilter;
import rag.storage.vector.EmbeddedChunk;
import rag.storage.vector.VectorQuery;

/**
 * A backup of the embedded store taken while documents are being written (issue 16), restored into an empty data
 * directory: the same documents, the same searches, no half-written version; damaged backups and unsafe folders are
 * refused with the reason.
 */
class BackupsTest {
  private static final int DIM = 8;

  @TempDir
  Path dir;

  @Test
  void aBackupTakenDuringWritesRestoresToTheSameDocumentsAndSearches() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("originals"));
    Files.writeString(data.resolve("originals/doc-a"), "original bytes");
    Files.createDirectories(data.resolve("security"));
    Files.writeString(data.resolve("security/pepper"), "0123456789abcdef0123");
    List<Document> before = new ArrayList<>();
    Path backup = dir.resolve("backup");
    Backups.Manifest manifest;
    try (Archive archive = ArchiveFactory.open(StorageConfig.embedded(data), DIM, "test-model")) {
      for (int i = 0; i < 30; i++) {
        before.add(write(archive, "c", "doc-" + i + ".txt", "alpha" + i + " shared words", i));
      }
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicInteger during = new AtomicInteger();
      Thread writer = new Thread(() -> {
        while (writing.get()) {
          int n = during.getAndIncrement();
          write(archive, "c", "late-" + n + ".txt", "late" + n + " shared words", n);
          write(archive, "c", "doc-" + (n % 30) + ".txt", "alpha" + (n % 30) + " replaced" + n + " shared words", n);
        }
      });
      writer.start();
      while (during.get() < 5) {
        Thread.sleep(5);
      }
      // the writer keeps replacing and adding versions while the indexes and the catalog are copied (how many land
      // inside the copy depends on the machine: the assertions below hold for any interleaving)
      manifest = Backups.create(archive, data, backup, List.of("originals", "conversations", "security"));
      writing.set(false);
      writer.join();
    }
    assertThat(manifest.files()).extracting(Backups.Entry::path)
        .contains("catalog.db", "originals/doc-a", "security/pepper")
        .anyMatch(p -> p.startsWith("lexical/")).anyMatch(p -> p.startsWith("vectors-1/"));

    Path restored = dir.resolve("restored");
    Backups.restore(backup, restored);
    assertThat(Files.readString(restored.resolve("originals/doc-a"))).isEqualTo("original bytes");
    assertThat(Files.exists(restored.resolveSibling("restored.restoring"))).isFalse();
    try (Archive copy = ArchiveFactory.open(StorageConfig.embedded(restored), DIM, "test-model")) {
      copy.reconcile();
      assertThat(copy.reconcile().isClean()).isTrue();
      List<Document> published = copy.reader().list("c", 0, 10_000);
      assertThat(published).hasSizeGreaterThanOrEqualTo(30);
      for (Document d : published) {
        // every version the copy publishes is whole in BM25: all its chunks, none of another version
        List<ScoredChunk> hits = copy.lexicalSearch(new LexicalQuery("shared", SearchFilter.collection("c"), 1000));
        assertThat(hits).filteredOn(h -> h.chunk().documentId().equals(d.id()))
            .extracting(h -> h.chunk().version()).containsOnly(d.version()).hasSize(d.chunkCount());
      }
      for (int i = 0; i < 30; i++) {
        String path = "doc-" + i + ".txt";
        assertThat(copy.reader().findBySourcePath("c", path)).as(path).isPresent();
      }
      // the documents written before the backup began are found by kNN with their vectors, as in the original
      Document first = copy.reader().findBySourcePath("c", "doc-0.txt").orElseThrow();
      if (first.version() == 1) {
        assertThat(copy.vectorSearch(new VectorQuery(Fixtures.vector(DIM, 0, 0), SearchFilter.collection("c"), 1)))
            .extracting(h -> h.chunk().documentId()).containsExactly(first.id());
      }
    }
  }

  @Test
  void aDamagedBackupIsRefusedNamingTheFileAndNothingIsRestored() throws Exception {
    Path data = dir.resolve("data");
    Path backup = dir.resolve("backup");
    try (Archive archive = ArchiveFactory.open(StorageConfig.embedded(data), DIM, "test-model")) {
      write(archive, "c", "a.txt", "some words", 1);
      Backups.create(archive, data, backup, List.of());
    }
    Files.writeString(backup.resolve("catalog.db"), "not the catalog");
    Path target = dir.resolve("restored");
    assertThatThrownBy(() -> Backups.restore(backup, target)).isInstanceOf(BackupException.class)
        .hasMessageContaining("is damaged").hasMessageContaining("catalog.db (changed)");
    assertThat(target).doesNotExist();
    assertThatThrownBy(() -> Backups.verify(dir)).isInstanceOf(BackupException.class)
        .hasMessageContaining("is not a backup");
  }

  @Test
  void unsafeFoldersAreRefused() throws Exception {
    Path data = dir.resolve("data");
    try (Archive archive = ArchiveFactory.open(StorageConfig.embedded(data), DIM, "test-model")) {
      assertThatThrownBy(() -> Backups.create(archive, data, data.resolve("inside"), List.of()))
          .isInstanceOf(BackupException.class).hasMessageContaining("inside the data directory");
      Path used = dir.resolve("used");
      Files.createDirectories(used);
      Files.writeString(used.resolve("x"), "x");
      assertThatThrownBy(() -> Backups.create(archive, data, used, List.of()))
          .isInstanceOf(BackupException.class).hasMessageContaining("is not empty");
      Path backup = dir.resolve("backup");
      Backups.create(archive, data, backup, List.of());
      assertThatThrownBy(() -> Backups.restore(backup, used)).isInstanceOf(BackupException.class)
          .hasMessageContaining("data directory " + used + " is not empty");
    }
  }

  private static Document write(Archive archive, String collection, String path, String text, int axis) {
    Document doc = archive.write(Fixtures.draft(collection, path, "text/plain"), Fixtures.chunks(text, text + " more"));
    List<EmbeddedChunk> vectors = new ArrayList<>();
    for (Chunk c : archive.reader().chunks(doc.id(), doc.version())) {
      vectors.add(new EmbeddedChunk(c, Fixtures.vector(DIM, axis % DIM, c.ordinal())));
    }
    archive.addVectors(doc, vectors);
    return doc;
  }
}
