package rag.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir
  Path dir;

  @Test
  void savesBytesWithTheirHashAndDeletesThem() throws Exception {
    Spool spool = new Spool(dir);
    SpooledFile f = spool.save("job", 0, new ByteArrayInputStream("abc".getBytes()), 10);
    assertThat(f.sizeBytes()).isEqualTo(3);
    assertThat(f.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Files.readString(spool.resolve(f.relativePath()))).isEqualTo("abc");
    spool.delete(f.relativePath());
    assertThat(Files.exists(dir.resolve("job"))).isFalse();
    spool.delete(f.relativePath()); // again, as a file redone after a crash does: nothing left to remove
    assertThat(Files.exists(dir.resolve("job"))).isFalse();
  }

  @Test
  void aJobsFilesAreSyncedTogetherAndAMissingOneFailsTheSync() throws Exception {
    Spool spool = new Spool(dir);
    SpooledFile a = spool.save("job", 0, new ByteArrayInputStream("first".getBytes()), 10);
    SpooledFile b = spool.save("job", 1, new ByteArrayInputStream("second".getBytes()), 10);
    spool.sync("job", List.of(a.relativePath(), b.relativePath()));
    assertThat(Files.readString(spool.resolve(b.relativePath()))).isEqualTo("second");
    spool.delete(a.relativePath());
    assertThatThrownBy(() -> spool.sync("job", List.of(a.relativePath(), b.relativePath())))
        .isInstanceOf(NoSuchFileException.class); // never acknowledged as durable
  }

  /** Saves {@code count} small files "file 0", "file 1", ... for the job; returns their relative paths. */
  private static List<String> saveFiles(Spool spool, String jobId, int count) throws Exception {
    List<String> paths = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      paths.add(spool.save(jobId, i, new ByteArrayInputStream(("file " + i).getBytes()), 100).relativePath());
    }
    return paths;
  }

  @Test
  void manyFilesAreSyncedAtOnceAndAMissingOneStillFailsTheSync() throws Exception {
    Spool spool = new Spool(dir);
    List<String> paths = saveFiles(spool, "big", 100);
    spool.sync("big", paths);
    assertThat(Files.readString(spool.resolve(paths.get(99)))).isEqualTo("file 99");
    spool.delete(paths.get(57));
    assertThat(Files.exists(dir.resolve("big"))).isTrue(); // 99 files left in it
    assertThatThrownBy(() -> spool.sync("big", paths)).isInstanceOf(NoSuchFileException.class);
    paths.forEach(spool::delete);
    assertThat(Files.exists(dir.resolve("big"))).isFalse();
  }

  @Test
  void workersDeletingAJobsFilesTogetherLeaveNoDirectoryAndNoError() throws Exception {
    Spool spool = new Spool(dir);
    List<String> paths = saveFiles(spool, "shared", 200);
    spool.sync("shared", paths);
    java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> deleted = new java.util.ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int worker = w;
        deleted.add(workers.submit(() -> {
          for (int i = worker; i < paths.size(); i += 4) {
            spool.delete(paths.get(i));
          }
        }));
      }
      for (java.util.concurrent.Future<?> f : deleted) {
        f.get(); // no worker failed
      }
    } finally {
      workers.shutdown();
    }
    assertThat(Files.exists(dir.resolve("shared"))).isFalse();
    assertThat(Files.isDirectory(dir)).isTrue();
  }

  @Test
  void refusesMoreThanTheLimitAndLeavesNothing() {
    Spool spool = new Spool(dir);
    assertThatThrownBy(() -> spool.save("job", 0, new ByteArrayInputStream(new byte[11]), 10))
        .isInstanceOf(IntakeRefusal.class).hasMessageContaining("limit of 10 bytes");
    assertThat(dir.resolve("job/0.part")).doesNotExist();
    assertThat(dir.resolve("job/0")).doesNotExist();
  }

  @Test
  void spoolPathsCannotEscape() {
    Spool spool = new Spool(dir);
    assertThatThrownBy(() -> spool.resolve("../outside")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sourcePathsAreNormalizedAndUnsafeOnesRejected() {
    assertThat(SourcePaths.join("reports/", "./2024//q1.pdf")).isEqualTo("reports/2024/q1.pdf");
    assertThat(SourcePaths.join(null, "a\\b.txt")).isEqualTo("a/b.txt");
    assertThat(SourcePaths.join("x", "../../etc/passwd")).isNull();
    assertThat(SourcePaths.join("", "")).isNull();
  }

  @Test
  void namesAreMadeSafeToShowAndStore() {
    assertThat(SourcePaths.safeName("a\nb\r\u0000c\u001b.txt")).isEqualTo("a_b__c_.txt");
    // a right-to-left override would show "invoice_fdp.exe" as "invoice_exe.pdf"
    assertThat(SourcePaths.safeName("invoice_\u202efdp.exe")).isEqualTo("invoice__fdp.exe");
    assertThat(SourcePaths.safeName("café \"final\" 日本.pdf")).isEqualTo("café \"final\" 日本.pdf");
    String longName = SourcePaths.safeName("x".repeat(1100) + ".pdf");
    assertThat(longName).hasSize(SourcePaths.MAX_SEGMENT_BYTES).startsWith("xxx").endsWith("x.pdf");
    // cut at a character boundary: 200 three-byte characters are 600 bytes, 83 of them fit with ".txt"
    String wide = SourcePaths.safeName("日".repeat(200) + ".txt");
    assertThat(wide).isEqualTo("日".repeat(83) + ".txt");
    assertThat(wide.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
    assertThat(SourcePaths.safeName("dir/" + "y".repeat(300) + "/z.txt")).isEqualTo("dir/" + "y".repeat(255) + "/z.txt");
    assertThat(SourcePaths.safeName(null)).isNull();
  }
}
