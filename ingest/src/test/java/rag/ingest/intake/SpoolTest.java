package rag.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
